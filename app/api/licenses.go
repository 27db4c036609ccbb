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
	checkIn = obj{"type": "integer", "minimum": 3600, "maximum": 7776000, "description": "Licence token lifetime (exp) in seconds; default 604800 (7 days)."}
	grace   = obj{"type": "integer", "minimum": 0, "maximum": 2592000, "description": "Seconds after exp an offline app keeps working; default 259200 (3 days)."}
)

// licenseSchemas adds the schemas of licence tokens to all.
func licenseSchemas(all obj) {
	lic := all["License"].(obj)
	props := obj{"token": str("JWT, typ license+jwt, signed with the EdDSA key of the JWKS; only when valid"),
		"expires_at": dateTime, "grace_until": dateTime, "check_in_after": dateTime}
	for k, v := range lic["properties"].(obj) {
		props[k] = v
	}
	all["LicenseToken"] = object([]string{"valid", "code", "features"}, props)
	all["LicenseTokenRequest"] = object([]string{"product"}, obj{"product": str("slug or id"),
		"user_id": str("required with an API key"), "fingerprint": str("machine fingerprint; its SHA-256 (hex) goes into the token as fingerprint_hash")})
}
