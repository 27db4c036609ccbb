package api

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"optare/app"
)

// openAPI serves the API description, built from the route table so a
// route cannot be served without being described.
func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request, _ app.Actor) error {
	return writeJSON(w, http.StatusOK, h.document())
}

type obj = map[string]any

func str(desc string) obj  { return obj{"type": "string", "description": desc} }
func integer() obj         { return obj{"type": "integer"} }
func boolean() obj         { return obj{"type": "boolean"} }
func ref(name string) obj  { return obj{"$ref": "#/components/schemas/" + name} }
func arrayOf(item obj) obj { return obj{"type": "array", "items": item} }
func nullable(t string, format string) obj {
	return obj{"type": []string{t, "null"}, "format": format}
}
func object(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}
func listOf(name, item string) obj {
	return object([]string{name, "next_cursor"}, obj{name: arrayOf(ref(item)), "next_cursor": nullable("string", "")})
}

var (
	dateTime = obj{"type": "string", "format": "date-time"}
	money    = obj{"type": "number", "multipleOf": 0.01, "minimum": 0, "description": "Decimal with at most two decimals, e.g. 29.99."}
	features = arrayOf(obj{"type": "string"})
	endDate  = obj{"type": "string", "description": "A date (2025-12-31, midnight UTC) or an RFC 3339 timestamp; empty clears it."}
	status   = obj{"type": "string", "enum": []string{"active", "trial", "cancelled", "expired"}, "description": app.Transitions}
)

func schemas() obj {
	product := obj{"id": str("prod_…"), "name": str(""), "slug": str("[a-z0-9-]{2,64}"), "description": str(""), "features": features,
		"documentation_url": str(""), "archived": boolean(), "createdAt": dateTime, "updatedAt": dateTime,
		"license_check_in_seconds": checkIn, "license_grace_seconds": grace, "machines_per_seat": machines, "floating": floating, "lease_ttl_seconds": leaseTTL}
	sub := obj{"id": str("sub_…"), "organization_id": str(""), "product_id": str(""), "total_seats": integer(), "seats_used": integer(),
		"price_per_seat": money, "currency": str("ISO 4217"), "billing_cycle": obj{"type": "string", "enum": []string{"monthly", "yearly"}},
		"status": status, "auto_assign": boolean(), "end_date": nullable("string", "date-time"), "createdAt": dateTime, "updatedAt": dateTime}
	apiKey := obj{"id": str("key_…"), "name": str(""), "organization_id": str(""), "environment": obj{"type": "string", "enum": []string{"live", "test"}},
		"createdAt": dateTime, "expires_at": nullable("string", "date-time"), "last_used_at": nullable("string", "date-time"), "revoked_at": nullable("string", "date-time"),
		"rate_limit_per_minute": obj{"type": "integer", "description": "operator's override; 0: the default"}}
	newKey := obj{"key": str("the bearer value (equal to id)"), "secret": str("send as X-API-Secret; shown only here")}
	for k, v := range apiKey {
		newKey[k] = v
	}
	user := obj{"id": str("user_…"), "email": str(""), "email_verified": boolean(), "name": str(""), "disabled": boolean(),
		"organizationId": str("primary organization"), "createdAt": dateTime, "updatedAt": dateTime}
	access := object(nil, obj{"id": str(""), "slug": str(""), "name": str(""), "features": features})
	strs := arrayOf(str(""))
	clientInput := obj{"name": str(""), "description": str(""), "redirect_uris": strs, "post_logout_redirect_uris": strs,
		"allowed_origins": strs, "allowed_scopes": arrayOf(str("openid, email, profile, offline_access or a product slug")),
		"grant_types": arrayOf(obj{"type": "string", "description": "device_code is accepted as the short name of the device grant's URN",
			"enum": []string{"authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "device_code"}}),
		"public": boolean(), "require_pkce": boolean(), "first_party": boolean(), "organization_id": str("id or slug; default the operator organization"),
		"token_endpoint_auth_method": obj{"type": "string", "enum": []string{"client_secret_basic", "client_secret_post", "private_key_jwt", "none"},
			"description": "none is a public client (same as public: true); a client never changes between none and the secret methods"},
		"require_pushed_authorization_requests": boolean(),
		"dpop_bound_access_tokens":              boolean(),
		"jwks":                                  obj{"type": "object", "description": "private_key_jwt: the client's public keys as a JSON Web Key Set (or give jwks_uri)"},
		"jwks_uri":                              obj{"type": "string", "description": "private_key_jwt: https URL of the client's JWKS, fetched with a 5 s timeout and cached 5 minutes"},
		"initiate_login_uri":                    obj{"type": "string", "description": "https URI where the client portal's Connect New App starts a sign-in to this app; empty for none"},
		"target_link_uri":                       obj{"type": "string", "description": "https URI sent with initiate_login_uri as target_link_uri: where the app takes the user once signed in; empty for none"}}
	clientPatch := obj{"enabled": boolean()}
	client := obj{"id": str("client_…"), "client_id": str("same as id"), "enabled": boolean(), "created_at": dateTime, "updated_at": dateTime}
	for k, v := range clientInput {
		client[k] = v
		if k != "public" && k != "organization_id" {
			clientPatch[k] = v
		}
	}
	client["organization_id"] = str("")
	newClient := obj{"client_secret": str("shown once; empty for public clients")}
	for k, v := range client {
		newClient[k] = v
	}
	all := obj{
		"Error": object([]string{"error", "error_description"}, obj{"error": str("machine-readable code"), "error_description": str(""),
			"fields": obj{"type": "object", "additionalProperties": obj{"type": "string"}}}),
		"OpenAPI":           obj{"type": "object"},
		"Product":           object(nil, product),
		"ProductInput":      object([]string{"name", "slug"}, obj{"name": str(""), "slug": str(""), "description": str(""), "features": features, "documentation_url": str(""), "license_check_in_seconds": checkIn, "license_grace_seconds": grace, "machines_per_seat": machines, "floating": floating, "lease_ttl_seconds": leaseTTL}),
		"ProductPatch":      object(nil, obj{"name": str(""), "slug": str("must equal the current slug"), "description": str(""), "features": features, "documentation_url": str(""), "archived": boolean(), "license_check_in_seconds": checkIn, "license_grace_seconds": grace, "machines_per_seat": machines, "floating": floating, "lease_ttl_seconds": leaseTTL}),
		"ProductPage":       listOf("products", "Product"),
		"Subscription":      object(nil, sub),
		"SubscriptionInput": object([]string{"organization_id", "product_id", "total_seats", "billing_cycle"}, obj{"organization_id": str("id or slug"), "product_id": str("id or slug"), "total_seats": obj{"type": "integer", "minimum": 1}, "price_per_seat": money, "currency": str("default USD"), "billing_cycle": sub["billing_cycle"], "status": status, "end_date": endDate, "auto_assign": boolean()}),
		"SubscriptionPatch": object(nil, obj{"total_seats": obj{"type": "integer", "minimum": 1, "description": "409 seats_in_use when below the seats in use"}, "price_per_seat": money, "currency": str(""), "billing_cycle": sub["billing_cycle"], "status": status, "end_date": endDate, "auto_assign": boolean()}),
		"SubscriptionPage":  listOf("subscriptions", "Subscription"),
		"Seat":              object(nil, obj{"user_id": str(""), "email": str(""), "name": str(""), "assigned_at": dateTime}),
		"SeatInput":         object([]string{"user_id"}, obj{"user_id": str("")}),
		"SeatPage":          listOf("seats", "Seat"),
		"LicenseQuery":      object([]string{"product"}, obj{"product": str("slug or id"), "user_id": str("required with an API key")}),
		"License": object([]string{"valid", "code", "features"}, obj{"valid": boolean(), "code": obj{"type": "string", "enum": []string{"VALID", "NO_SUBSCRIPTION", "EXPIRED", "CANCELLED", "NO_SEAT", "PRODUCT_NOT_FOUND", "USER_DISABLED"}},
			"user_id": str(""), "product": access, "features": features,
			"subscription": object(nil, obj{"id": str(""), "status": status, "end_date": nullable("string", "date-time"), "total_seats": integer(), "seats_used": integer()})}),
		"Organization":      object(nil, obj{"id": str("org_…"), "slug": str(""), "name": str(""), "is_operator": boolean(), "require_mfa": boolean(), "createdAt": dateTime, "rate_limit_per_hour": obj{"type": "integer", "description": "operator's override; 0: the default"}}),
		"OrganizationInput": object([]string{"name"}, obj{"name": str(""), "slug": str("derived from the name when empty")}),
		"OrganizationPage":  listOf("organizations", "Organization"),
		"User":              object(nil, user),
		"UserInput":         object([]string{"email", "name", "organization_id", "password"}, obj{"email": str(""), "name": str(""), "organization_id": str("id or slug"), "role": obj{"type": "string", "enum": []string{"owner", "admin", "member"}}, "password": str("at least 12 characters")}),
		"UserPatch":         object(nil, obj{"name": str(""), "disabled": boolean(), "password": str("")}),
		"UserPage":          listOf("users", "User"),
		"Me":                object(nil, obj{"sub": str(""), "id": str(""), "email": str(""), "email_verified": boolean(), "name": str(""), "organizationId": str(""), "role": str(""), "products": arrayOf(access)}),
		"APIKey":            object(nil, apiKey),
		"NewAPIKey":         object(nil, newKey),
		"APIKeyInput":       object([]string{"organization_id", "name"}, obj{"organization_id": str("id or slug"), "name": str(""), "environment": apiKey["environment"], "expires_at": endDate}),
		"APIKeyPage":        listOf("api_keys", "APIKey"),
		"Client":            object(nil, client),
		"NewClient":         object(nil, newClient),
		"ClientInput":       object([]string{"name", "redirect_uris"}, clientInput),
		"ClientPatch":       object(nil, clientPatch),
		"ClientPage":        listOf("clients", "Client"),
		"Usage": object(nil, obj{"metric": str(""), "period": str("24h, 7d, 30d or 90d"), "interval": str("hour or day"),
			"since": dateTime, "until": dateTime, "labels": arrayOf(str("")), "total": integer(),
			"totals": obj{"type": "object", "additionalProperties": integer()},
			"points": arrayOf(object(nil, obj{"time": dateTime, "counts": obj{"type": "object", "additionalProperties": integer()}})),
			"top":    arrayOf(object(nil, obj{"subject": str(""), "organization_id": str(""), "count": integer()}))}),
		"RateLimitInput":   object([]string{"limit"}, obj{"limit": obj{"type": "integer", "minimum": 0, "maximum": app.MaxRateLimit, "description": "requests per window; 0: the server's default"}}),
		"RateLimitSetting": object([]string{"limit", "window", "default_limit"}, obj{"organization_id": str(""), "api_key_id": str(""), "limit": integer(), "window": obj{"type": "string", "enum": []string{"minute", "hour"}}, "default_limit": integer()}),
		"AuditPage":        object(nil, obj{"audit_logs": arrayOf(obj{"type": "object"}), "next_cursor": nullable("string", "")}),
	}
	licenseSchemas(all)
	return all
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// document is the OpenAPI 3.1 description of every route in routes().
func (h *Handler) document() obj {
	paths := obj{}
	for _, rt := range h.routes() {
		item, _ := paths[rt.Pattern].(obj)
		if item == nil {
			item = obj{}
			paths[rt.Pattern] = item
		}
		item[strings.ToLower(rt.Method)] = operation(rt)
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{"title": "Optare REST API", "version": "1",
			"description": "Every route exists under /api/v1 and /v1. Errors share one shape ({error, error_description, fields}). " +
				"Rate limits: 100 requests/minute per API key and 1000/hour per organization, announced in RateLimit-Limit, " +
				"RateLimit-Remaining and RateLimit-Reset; over the limit 429 with Retry-After. POST accepts Idempotency-Key " +
				"(24 hours). Lists take limit and cursor and answer next_cursor (null on the last page)."},
		"servers": []obj{{"url": "/api/v1"}, {"url": "/v1"}},
		"paths":   paths,
		"components": obj{"schemas": schemas(), "securitySchemes": obj{
			"bearer":    obj{"type": "http", "scheme": "bearer", "description": "A user's access token, or an API key id (key_…) together with X-API-Secret."},
			"apiSecret": obj{"type": "apiKey", "in": "header", "name": "X-API-Secret"},
			"dpop": obj{"type": "http", "scheme": "dpop", "description": "A DPoP-bound access token (RFC 9449) as Authorization: DPoP <token>, " +
				"with a fresh proof for this method and URL (and the token's ath) in the DPoP header. Such a token is refused as Bearer."}}},
		"security": []obj{{"bearer": []string{}, "apiSecret": []string{}}, {"bearer": []string{}}, {"dpop": []string{}}},
	}
}

func operation(rt route) obj {
	status := rt.Status
	if status == 0 {
		status = http.StatusOK
	}
	ok := obj{"description": http.StatusText(status)}
	if rt.Response != "" {
		ok["content"] = obj{"application/json": obj{"schema": ref(rt.Response)}}
	}
	errRef := obj{"description": "Error", "content": obj{"application/json": obj{"schema": ref("Error")}}}
	// Every answer announces the rate limit; a 429 also says when to retry.
	rate := obj{"RateLimit-Limit": header("requests allowed in the window"), "RateLimit-Remaining": header("requests left in the window"),
		"RateLimit-Reset": header("seconds until the window starts afresh")}
	ok["headers"] = rate
	limited := obj{"description": "Rate limited", "content": errRef["content"], "headers": obj{"Retry-After": header("seconds to wait"),
		"RateLimit-Limit": rate["RateLimit-Limit"], "RateLimit-Remaining": rate["RateLimit-Remaining"], "RateLimit-Reset": rate["RateLimit-Reset"]}}
	op := obj{"summary": rt.Summary, "operationId": operationID(rt), "responses": obj{strconv.Itoa(status): ok,
		"400": errRef, "401": errRef, "403": errRef, "404": errRef, "405": errRef, "409": errRef, "413": errRef, "422": errRef, "429": limited}}
	if rt.Description != "" {
		op["description"] = rt.Description
	}
	if rt.Public {
		op["security"] = []obj{}
	}
	var params []obj
	for _, m := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
		params = append(params, obj{"name": m[1], "in": "path", "required": true, "schema": obj{"type": "string"}})
	}
	for _, q := range rt.Query {
		params = append(params, obj{"name": q, "in": "query", "schema": obj{"type": "string"}})
	}
	if rt.Method == http.MethodPost && !rt.Public {
		params = append(params, obj{"name": "Idempotency-Key", "in": "header", "schema": obj{"type": "string", "maxLength": 255}})
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if rt.Request != "" {
		op["requestBody"] = obj{"required": rt.Method != http.MethodDelete, "content": obj{"application/json": obj{"schema": ref(rt.Request)}}}
	}
	return op
}

// header describes an integer response header.
func header(desc string) obj {
	return obj{"description": desc, "schema": obj{"type": "integer"}}
}

func operationID(rt route) string {
	id := strings.ToLower(rt.Method)
	for _, part := range strings.Split(strings.Trim(rt.Pattern, "/"), "/") {
		part = strings.Trim(part, "{}")
		part = strings.NewReplacer("-", "", ".", "", "_", "").Replace(part)
		if part != "" {
			id += strings.ToUpper(part[:1]) + part[1:]
		}
	}
	return id
}
