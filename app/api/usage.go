package api

import (
	"net/http"

	"optare/app"
)

const usageDoc = "metric: requests, oauth_failures, sign_ins, rate_limited (operators); key_requests, key_license_checks, " +
	"license_checks, seats_used (an organization's own; members see license_checks and seats_used). " +
	"period: 24h (hourly), 7d, 30d or 90d (daily; seats_used is a daily snapshot). " +
	"Counts by label: status class, licence code, error code or result."

func (h *Handler) usage(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	v := r.URL.Query()
	rep, err := h.svc.Usage(r.Context(), a, app.UsageQuery{Metric: v.Get("metric"), Period: v.Get("period"),
		OrganizationID: v.Get("organization_id"), APIKeyID: v.Get("api_key_id"), ProductID: v.Get("product_id")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}
