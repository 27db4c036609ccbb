package api

import (
	"net/http"

	"optare/app"
)

func (h *Handler) apiKeyList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	p, err := h.svc.ListAPIKeys(r.Context(), a, app.APIKeyQuery{Organization: r.URL.Query().Get("organization_id"), Cursor: cursor, Limit: limit})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) apiKeyCreate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.APIKeyInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	k, err := h.svc.CreateAPIKey(r.Context(), a, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, k)
}

func (h *Handler) apiKeyRevoke(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	k, err := h.svc.RevokeAPIKey(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, k)
}
