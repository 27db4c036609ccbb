package api

import (
	"net/http"

	"optare/app"
)

func (h *Handler) orgList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	p, err := h.svc.ListOrganizations(r.Context(), a, cursor, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) orgCreate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.OrganizationInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	o, err := h.svc.CreateOrganization(r.Context(), a, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, o)
}

func (h *Handler) orgGet(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	o, err := h.svc.OrganizationByRef(r.Context(), a, r.PathValue("org"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (h *Handler) auditList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	aq := app.AuditQuery{Action: q.Get("action"), Actor: q.Get("actor"), OrgID: q.Get("organization_id"),
		Since: q.Get("since"), Until: q.Get("until"), Cursor: cursor, Limit: limit}
	p, err := h.svc.ListAudit(r.Context(), a, aq)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
