package oauth

import (
	"encoding/json"
	"net/http"
	"strconv"

	"optare/app"
	"optare/app/oidc"
)

// discoveryMaxAge lets clients cache the metadata briefly; product scopes
// are part of it and change rarely.
const discoveryMaxAge = 300

func (h *Handler) discovery(w http.ResponseWriter, r *http.Request) {
	d, err := h.svc.Discovery(r.Context())
	if err != nil {
		h.logError(r, err)
		oidc.WriteJSON(w, oidc.ServerError(""))
		return
	}
	body, err := json.Marshal(d)
	if err != nil {
		h.logError(r, err)
		oidc.WriteJSON(w, oidc.ServerError(""))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(discoveryMaxAge))
	w.Write(body)
}

// jwks serves the published keys with a cache lifetime (app.JWKSMaxAge)
// shorter than the time a next key is published before it signs
// (app.KeyPublishBeforeUse), so a client's cache always holds a key before
// tokens signed by it arrive.
func (h *Handler) jwks(w http.ResponseWriter, r *http.Request) {
	body, err := h.svc.JWKS(r.Context())
	if err != nil {
		h.logError(r, err)
		oidc.WriteJSON(w, oidc.ServerError(""))
		return
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(int(app.JWKSMaxAge.Seconds())))
	w.Write(body)
}
