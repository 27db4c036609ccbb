package api

import (
	"net/http"

	"optare/app"
)

// The /clients routes are doors onto the same client methods the CLI and
// the admin portal use; all of them are for operators only.

func (h *Handler) clientList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	p, err := h.svc.ListClients(r.Context(), a, r.URL.Query().Get("organization_id"), cursor, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) clientCreate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.ClientInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := h.svc.CreateClient(r.Context(), a, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (h *Handler) clientGet(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	c, err := h.svc.ClientByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (h *Handler) clientUpdate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var p app.ClientPatch
	if err := decodeJSON(r, &p); err != nil {
		return err
	}
	c, err := h.svc.UpdateClient(r.Context(), a, r.PathValue("id"), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (h *Handler) clientRotateSecret(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	c, err := h.svc.RotateClientSecret(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}
