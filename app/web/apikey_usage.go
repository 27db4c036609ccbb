package web

import (
	"net/http"

	"optare/app"
	"optare/views"
)

// apiKeyDetail is an API key's page: what it is, when it was last used and
// its usage charts.
func (h *Handler) apiKeyDetail(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	a := actor
	k, err := h.svc.APIKeyByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	orgs, err := h.allOrganizations(r, a)
	if err != nil {
		return err
	}
	v := views.APIKeyDetail{Page: h.page(r, "API key "+k.Name, views.SectionAdmin, "api-keys"), Key: apiKeyRows([]app.APIKey{k}, orgs, h.svc)[0]}
	for _, c := range []struct{ id, metric, period, title, desc string }{
		{"chart-key-requests-24h", app.UsageKeyRequests, "24h", "Requests, last 24 hours", "Requests made with this key per hour."},
		{"chart-key-requests-7d", app.UsageKeyRequests, "7d", "Requests, last 7 days", "Requests made with this key per day."},
		{"chart-key-license-checks", app.UsageKeyLicenseChecks, "7d", "Licence checks by code, last 7 days", "Licence checks made with this key per day, by answer code."},
	} {
		rep, err := h.svc.Usage(r.Context(), a, app.UsageQuery{Metric: c.metric, Period: c.period, APIKeyID: k.ID})
		if err != nil {
			return err
		}
		v.Charts = append(v.Charts, usageChart(c.id, c.title, c.desc, rep))
	}
	return h.render(w, r, http.StatusOK, views.APIKeyDetailPage(v))
}
