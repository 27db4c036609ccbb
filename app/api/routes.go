package api

import (
	"net/http"
	"slices"
	"strings"

	"optare/app"
)

// route is one API endpoint: its pattern, its handler and how openapi.json
// describes it. Every route the router serves comes from this table.
type route struct {
	Method, Pattern string
	Summary         string
	Description     string
	Request         string // schema name of the JSON body ("" for none)
	Response        string // schema name of the success answer
	Status          int    // success status (200 when zero)
	Public          bool   // no credentials needed
	Query           []string
	fn              handlerFunc
	// prefetch names what fn reads once the caller is authenticated, so
	// that a cold cache reads it with the credential (app.Prefetch).
	prefetch func(*http.Request) app.Prefetch
}

// routes lists every route (Go 1.22 patterns, relative to /api/v1 and /v1).
func (h *Handler) routes() []route {
	list := []string{"limit", "cursor"}
	return append([]route{
		{Method: "GET", Pattern: "/openapi.json", Summary: "This API description (OpenAPI 3.1)", Response: "OpenAPI", Public: true, fn: h.openAPI},
		{Method: "GET", Pattern: "/users/me", Summary: "The user behind the access token, with the products they can use", Response: "Me", fn: h.userMe},
		{Method: "GET", Pattern: "/licenses/check", Summary: "Check a license", Description: licenseDoc, Response: "License", Query: []string{"product", "user_id"}, fn: h.licenseCheck, prefetch: licensePrefetch},
		{Method: "POST", Pattern: "/licenses/check", Summary: "Check a license (JSON body)", Description: licenseDoc, Request: "LicenseQuery", Response: "License", fn: h.licenseCheck, prefetch: licensePrefetch},
		{Method: "POST", Pattern: "/licenses/token", Summary: "Get a signed licence token for offline use", Description: licenseTokenDoc, Request: "LicenseTokenRequest", Response: "LicenseToken", fn: h.licenseToken},
		{Method: "POST", Pattern: "/licenses/activate", Summary: "Activate a machine: a lease on the licence", Description: activateDoc, Request: "ActivationInput", Response: "LicenseLease", fn: h.licenseActivate},
		{Method: "POST", Pattern: "/licenses/heartbeat", Summary: "Extend a machine's lease", Description: "The activation's user, its organization's admins or API keys. An expired, released or unknown lease answers 200 with code LEASE_EXPIRED: activate again.", Request: "HeartbeatInput", Response: "LicenseLease", fn: h.licenseHeartbeat},
		{Method: "GET", Pattern: "/licenses/activations", Summary: "List machine activations", Description: "Operators all; an organization's admins and API keys their organization's; members their own.", Response: "ActivationPage", Query: append(list, "subscription_id", "user_id"), fn: h.activationList},
		{Method: "DELETE", Pattern: "/licenses/activations/{id}", Summary: "Release a machine's activation and lease", Description: "The activation's user, its organization's admins or API keys, operators.", Status: http.StatusNoContent, fn: h.activationDelete},
		{Method: "GET", Pattern: "/products", Summary: "List products", Description: "Any caller. Archived products only with include_archived=true.", Response: "ProductPage", Query: append(list, "include_archived"), fn: h.productList},
		{Method: "POST", Pattern: "/products", Summary: "Create a product", Description: "Operators only. The slug is unique, lowercase [a-z0-9-], 2–64 characters.", Request: "ProductInput", Response: "Product", Status: http.StatusCreated, fn: h.productCreate},
		{Method: "GET", Pattern: "/products/{product}", Summary: "Get a product by id or slug", Response: "Product", fn: h.productGet},
		{Method: "PATCH", Pattern: "/products/{product}", Summary: "Update or archive a product", Description: "Operators only. The slug cannot change; archived=true archives (subscriptions stay readable).", Request: "ProductPatch", Response: "Product", fn: h.productUpdate},
		{Method: "GET", Pattern: "/subscriptions", Summary: "List subscriptions", Description: "Operators see all; others their organization's.", Response: "SubscriptionPage", Query: append(list, "organization_id", "product_id", "status"), fn: h.subscriptionList},
		{Method: "POST", Pattern: "/subscriptions", Summary: "Create a subscription", Description: "Operators only. One active or trial subscription per organization and product.", Request: "SubscriptionInput", Response: "Subscription", Status: http.StatusCreated, fn: h.subscriptionCreate},
		{Method: "GET", Pattern: "/subscriptions/{id}", Summary: "Get a subscription", Response: "Subscription", fn: h.subscriptionGet},
		{Method: "PATCH", Pattern: "/subscriptions/{id}", Summary: "Update or cancel a subscription", Description: "Operators only. Status transitions: " + transitionsDoc, Request: "SubscriptionPatch", Response: "Subscription", fn: h.subscriptionUpdate},
		{Method: "GET", Pattern: "/subscriptions/{id}/seats", Summary: "List the seats of a subscription", Description: "Operators or the organization's admins.", Response: "SeatPage", Query: list, fn: h.seatList},
		{Method: "POST", Pattern: "/subscriptions/{id}/seats", Summary: "Assign a seat", Description: "Operators or the organization's admins; 409 when all seats are taken.", Request: "SeatInput", Response: "Seat", Status: http.StatusCreated, fn: h.seatAssign},
		{Method: "DELETE", Pattern: "/subscriptions/{id}/seats", Summary: "Unassign a seat", Description: "Body {\"user_id\"} or ?user_id=.", Request: "SeatInput", Response: "", Status: http.StatusNoContent, Query: []string{"user_id"}, fn: h.seatUnassign},
		{Method: "GET", Pattern: "/organizations", Summary: "List organizations", Description: "Operators see all; others their own.", Response: "OrganizationPage", Query: list, fn: h.orgList},
		{Method: "POST", Pattern: "/organizations", Summary: "Create an organization", Description: "Operators only. The slug is derived from the name when none is given.", Request: "OrganizationInput", Response: "Organization", Status: http.StatusCreated, fn: h.orgCreate},
		{Method: "GET", Pattern: "/organizations/{org}", Summary: "Get an organization by id or slug", Response: "Organization", fn: h.orgGet},
		{Method: "PUT", Pattern: "/organizations/{org}/rate-limit", Summary: "Set an organization's rate limit (requests per hour, its API keys and its users' access tokens together)", Description: "Operators only. 0 restores the default.", Request: "RateLimitInput", Response: "RateLimitSetting", fn: h.orgRateLimit},
		{Method: "GET", Pattern: "/users", Summary: "List users", Description: "Operators (optionally one organization's); an organization's admins its members.", Response: "UserPage", Query: append(list, "organization_id"), fn: h.userList},
		{Method: "POST", Pattern: "/users", Summary: "Create a user in an organization", Request: "UserInput", Response: "User", Status: http.StatusCreated, fn: h.userCreate},
		{Method: "GET", Pattern: "/users/{id}", Summary: "Get a user", Response: "User", fn: h.userGet},
		{Method: "PATCH", Pattern: "/users/{id}", Summary: "Rename, disable/enable or set the password of a user", Request: "UserPatch", Response: "User", fn: h.userUpdate},
		{Method: "GET", Pattern: "/clients", Summary: "List OAuth clients", Description: "Operators only.", Response: "ClientPage", Query: append(list, "organization_id"), fn: h.clientList},
		{Method: "POST", Pattern: "/clients", Summary: "Register an OAuth client", Description: "Operators only. The client_secret is in this answer only (none for public clients). Redirect URIs are matched exactly.", Request: "ClientInput", Response: "NewClient", Status: http.StatusCreated, fn: h.clientCreate},
		{Method: "GET", Pattern: "/clients/{id}", Summary: "Get an OAuth client", Response: "Client", fn: h.clientGet},
		{Method: "PATCH", Pattern: "/clients/{id}", Summary: "Update, disable or enable an OAuth client", Description: "Changing redirect URIs or scopes asks every user for consent again.", Request: "ClientPatch", Response: "Client", fn: h.clientUpdate},
		{Method: "POST", Pattern: "/clients/{id}/rotate-secret", Summary: "Replace a confidential client's secret", Description: "The new client_secret is in this answer only; the old one stops working at once.", Response: "NewClient", fn: h.clientRotateSecret},
		{Method: "GET", Pattern: "/api-keys", Summary: "List API keys", Description: "Operators; an organization's admins their own keys.", Response: "APIKeyPage", Query: append(list, "organization_id"), fn: h.apiKeyList},
		{Method: "POST", Pattern: "/api-keys", Summary: "Create an API key", Description: "The secret is in this answer only.", Request: "APIKeyInput", Response: "NewAPIKey", Status: http.StatusCreated, fn: h.apiKeyCreate},
		{Method: "PUT", Pattern: "/api-keys/{id}/rate-limit", Summary: "Set an API key's rate limit (requests per minute)", Description: "Operators only. 0 restores the default.", Request: "RateLimitInput", Response: "RateLimitSetting", fn: h.apiKeyRateLimit},
		{Method: "DELETE", Pattern: "/api-keys/{id}", Summary: "Revoke an API key", Response: "APIKey", fn: h.apiKeyRevoke},
		{Method: "GET", Pattern: "/usage", Summary: "Usage counts by hour or day", Description: usageDoc, Response: "Usage",
			Query: []string{"metric", "period", "organization_id", "api_key_id", "product_id"}, fn: h.usage},
		{Method: "GET", Pattern: "/audit-logs", Summary: "List audit log entries, newest first", Response: "AuditPage", Query: append(list, "action", "actor", "organization_id", "since", "until"), fn: h.auditList},
	}, h.webhookRoutes(list)...)
}

// Routes is the API's router, to be mounted under /api/v1/ and /v1/ with
// the prefix stripped. Anything else answers 404 in the API's error shape.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range h.routes() {
		mux.Handle(rt.Method+" "+rt.Pattern, h.wrap(rt))
	}
	// The catch-all below hides the mux's own 405, so the methods a path
	// does serve are found with one probe mux per method.
	probes := map[string]*http.ServeMux{}
	for _, rt := range h.routes() {
		if probes[rt.Method] == nil {
			probes[rt.Method] = http.NewServeMux()
		}
		probes[rt.Method].Handle(rt.Method+" "+rt.Pattern, http.NotFoundHandler())
	}
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for method, probe := range probes {
			r2 := r.Clone(r.Context())
			r2.Method = method
			if _, pattern := probe.Handler(r2); pattern != "" {
				allow = append(allow, method)
			}
		}
		if len(allow) > 0 {
			slices.Sort(allow)
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: "method_not_allowed",
				Description: r.URL.Path + " answers " + strings.Join(allow, ", ") + ", not " + r.Method + "."})
			return
		}
		writeJSON(w, http.StatusNotFound, errorBody{Error: "not_found", Description: "There is no API route " + r.Method + " " + r.URL.Path + "."})
	}))
	return mux
}
