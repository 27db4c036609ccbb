package api

import (
	"net/http"

	"optare/app"
)

// licenseTokenDoc explains licence tokens in openapi.json.
const licenseTokenDoc = "A user's access token (for that user) or an API key with user_id. Runs the license check; " +
	"when valid the answer adds token (a JWT, typ license+jwt, EdDSA, verifiable offline against /.well-known/jwks.json), " +
	"expires_at, grace_until and check_in_after. A refusal answers 200 like the check: valid false, its code, no features, no token."

func (h *Handler) licenseToken(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.LicenseTokenRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	tok, err := h.svc.IssueLicenseToken(r.Context(), a, in)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, tok)
}

var (
	checkIn  = obj{"type": "integer", "minimum": 3600, "maximum": 7776000, "description": "Licence token lifetime (exp) in seconds; default 604800 (7 days)."}
	machines = obj{"type": "integer", "minimum": 0, "maximum": 1000, "description": "Live machines each seat may activate; 0 (default) no limit."}
	floating = obj{"type": "boolean", "description": "At most total_seats concurrent leases across the organization, named seats not needed."}
	leaseTTL = obj{"type": "integer", "minimum": 60, "maximum": 86400, "description": "Lease lifetime between heartbeats in seconds; default 600."}
	grace    = obj{"type": "integer", "minimum": 0, "maximum": 2592000, "description": "Seconds after exp an offline app keeps working; default 259200 (3 days)."}
)

// licenseSchemas adds the schemas of licence tokens to all.
func licenseSchemas(all obj) {
	lic := all["License"].(obj)
	props := obj{"token": str("JWT, typ license+jwt, signed with the EdDSA key of the JWKS; only when valid"),
		"expires_at": dateTime, "grace_until": dateTime, "check_in_after": dateTime}
	for k, v := range lic["properties"].(obj) {
		props[k] = v
	}
	all["LicenseToken"] = record(props, "product", "subscription", "token", "expires_at", "grace_until", "check_in_after")
	all["LicenseTokenRequest"] = object([]string{"product"}, obj{"product": str("slug or id"),
		"user_id": str("required with an API key"), "fingerprint": str("machine fingerprint; its SHA-256 (hex) goes into the token as fingerprint_hash")})
	activationSchemas(all)
	webhookSchemas(all)
}

const activateDoc = "A user's access token (for that user) or an API key with user_id. Runs the license check, then gives the machine " +
	"(fingerprint; only its SHA-256 is kept) a lease of the product's lease_ttl_seconds. Floating products allow total_seats live leases " +
	"across the organization (NO_SEAT beyond); machines_per_seat limits each user's live machines (TOO_MANY_MACHINES beyond). " +
	"The same machine again renews its lease. Refusals answer 200 with valid false and the code, no activation."

func (h *Handler) licenseActivate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.ActivationInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	l, err := h.svc.Activate(r.Context(), a, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (h *Handler) licenseHeartbeat(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.HeartbeatInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	l, err := h.svc.Heartbeat(r.Context(), a, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (h *Handler) activationList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := h.svc.ListActivations(r.Context(), a, app.ActivationQuery{SubscriptionID: q.Get("subscription_id"), UserID: q.Get("user_id"), Cursor: cursor, Limit: limit})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) activationDelete(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	if err := h.svc.Deactivate(r.Context(), a, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// activationSchemas adds the schemas of activations to all.
func activationSchemas(all obj) {
	act := obj{"id": str("act_…"), "subscription_id": str(""), "organization_id": str(""), "product_id": str(""), "user_id": str(""),
		"email": str("the user's"), "name": str("the machine's name"), "fingerprint_hash": str("hex SHA-256 of the fingerprint"),
		"created_at": dateTime, "last_heartbeat_at": dateTime, "lease_expires_at": dateTime, "live": boolean()}
	all["Activation"] = record(act)
	all["ActivationPage"] = listOf("activations", "Activation")
	all["ActivationInput"] = object([]string{"product", "fingerprint"}, obj{"product": str("slug or id"), "user_id": str("required with an API key"),
		"fingerprint": str("machine fingerprint, at most 512 characters"), "name": str("machine name, at most 100 characters")})
	all["HeartbeatInput"] = object([]string{"activation_id"}, obj{"activation_id": str("act_…")})
	lic := all["License"].(obj)
	props := obj{"activation": ref("Activation")}
	for k, v := range lic["properties"].(obj) {
		props[k] = v
	}
	codes := props["code"].(obj)
	props["code"] = obj{"type": "string", "enum": append(codes["enum"].([]string), "TOO_MANY_MACHINES", "LEASE_EXPIRED")}
	all["LicenseLease"] = record(props, "product", "subscription", "activation")
}
