package api

import (
	"net/http"

	"optare/app"
)

func (h *Handler) userMe(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	me, err := h.svc.CurrentUser(r.Context(), a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, me)
}

func (h *Handler) userList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	p, err := h.svc.ListUsers(r.Context(), a, app.UserQuery{Organization: r.URL.Query().Get("organization_id"), Cursor: cursor, Limit: limit})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) userCreate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.UserInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := h.svc.CreateUser(r.Context(), a, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

func (h *Handler) userGet(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	u, err := h.svc.UserByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

func (h *Handler) userUpdate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.UserPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := h.svc.UpdateUser(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}
