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

// rateLimitInput is the body of both rate-limit routes.
type rateLimitInput struct {
	Limit *int `json:"limit"`
}

func decodeRateLimit(r *http.Request) (int, error) {
	var in rateLimitInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, err
	}
	if in.Limit == nil {
		return 0, &app.Error{Kind: app.KindInvalid, Message: "Give the limit.", Fields: map[string]string{"limit": "Give a number of requests, or 0 for the default."}}
	}
	return *in.Limit, nil
}

func (h *Handler) apiKeyRateLimit(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	n, err := decodeRateLimit(r)
	if err != nil {
		return err
	}
	out, err := h.svc.SetAPIKeyRateLimit(r.Context(), a, r.PathValue("id"), n)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (h *Handler) orgRateLimit(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	n, err := decodeRateLimit(r)
	if err != nil {
		return err
	}
	out, err := h.svc.SetOrganizationRateLimit(r.Context(), a, r.PathValue("org"), n)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}
