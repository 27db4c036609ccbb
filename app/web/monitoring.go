package web

import (
	"cmp"
	"net/http"
	"strconv"

	"optare/app"
	"optare/views"
)

// monitoringCharts are the Monitoring page's charts: metric, period, title.
var monitoringCharts = []struct{ id, metric, period, title, desc string }{
	{"chart-requests-24h", app.UsageRequests, "24h", "Requests by status class, last 24 hours", "Requests per hour, stacked by status class (2xx, 3xx, 4xx, 5xx)."},
	{"chart-requests-7d", app.UsageRequests, "7d", "Requests by status class, last 7 days", "Requests per day, stacked by status class."},
	{"chart-oauth-failures", app.UsageOAuthFailures, "7d", "Failed OAuth flows by error, last 7 days", "Refused OAuth requests per day, stacked by error code."},
	{"chart-sign-ins", app.UsageSignIns, "7d", "Sign-ins by result, last 7 days", "Sign-in attempts per day: success, failure, throttled."},
	{"chart-license-checks", app.UsageLicenseChecks, "7d", "Licence checks by code, last 7 days", "Licence checks per day, stacked by answer code."},
	{"chart-rate-limited", app.UsageRateLimited, "7d", "Rate-limit refusals by scope, last 7 days", "Requests refused by a rate limit per day, by scope."},
}

func (h *Handler) monitoring(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	a := actor
	v := views.MonitoringView{Page: h.page(r, "Monitoring", views.SectionAdmin, "monitoring")}
	for _, c := range monitoringCharts {
		rep, err := h.svc.Usage(r.Context(), a, app.UsageQuery{Metric: c.metric, Period: c.period})
		if err != nil {
			return err
		}
		v.Charts = append(v.Charts, usageChart(c.id, c.title, c.desc, rep))
	}
	top, err := h.topKeys(r, a)
	if err != nil {
		return err
	}
	v.TopKeys = top
	return h.render(w, r, http.StatusOK, views.MonitoringPage(v))
}

// topKeys names the busiest API keys of the last 7 days.
func (h *Handler) topKeys(r *http.Request, a app.Actor) ([]views.TopKeyRow, error) {
	ctx := r.Context()
	rep, err := h.svc.Usage(ctx, a, app.UsageQuery{Metric: app.UsageKeyRequests, Period: "7d"})
	if err != nil || len(rep.Top) == 0 {
		return nil, err
	}
	keys, err := h.svc.ListAPIKeys(ctx, a, app.APIKeyQuery{Limit: 100})
	if err != nil {
		return nil, err
	}
	orgs, err := h.allOrganizations(r, a)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, k := range keys.APIKeys {
		names[k.ID] = k.Name
	}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	rows := make([]views.TopKeyRow, 0, len(rep.Top))
	for _, t := range rep.Top {
		rows = append(rows, views.TopKeyRow{Name: names[t.Subject], ID: t.Subject, Org: cmp.Or(names[t.OrganizationID], t.OrganizationID),
			Requests: strconv.FormatInt(t.Count, 10)})
	}
	return rows, nil
}

// usageChart turns a usage report into a chart: one bar per interval, one
// series per label.
func usageChart(id, title, desc string, rep app.UsageReport) views.Chart {
	c := views.Chart{ID: id, Title: title, Desc: desc}
	for _, l := range rep.Labels {
		if l == "" {
			l = "requests" // a metric without labels (an API key's requests)
		}
		c.Series = append(c.Series, l)
	}
	if len(c.Series) == 0 {
		c.Desc += " Nothing was counted in this period."
	}
	layout := "Jan 2"
	if rep.Interval == "hour" {
		layout = "15:04"
	}
	for _, p := range rep.Points {
		b := views.ChartBar{Label: p.Time.UTC().Format(layout)}
		for _, l := range rep.Labels {
			b.Values = append(b.Values, p.Counts[l])
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// productUsage is the client portal's usage statistics: per product the
// user can use, its organization's licence checks and seats in use.
func (h *Handler) productUsage(r *http.Request, acc app.Account, actor app.Actor, products []app.UsableProduct) ([]views.ProductUsage, error) {
	a := actor
	out := make([]views.ProductUsage, 0, len(products))
	for _, p := range products {
		u := views.ProductUsage{Name: p.Name}
		for _, c := range []struct{ metric, title, desc string }{
			{app.UsageLicenseChecks, "Licence checks", "Licence checks for " + p.Name + " per day, by answer code."},
			{app.UsageSeatsUsed, "Seats in use", "Seats of " + p.Name + " in use, each day."},
		} {
			rep, err := h.svc.Usage(r.Context(), a, app.UsageQuery{Metric: c.metric, Period: "30d", ProductID: p.ID})
			if err != nil {
				return nil, err
			}
			ch := usageChart("chart-"+c.metric+"-"+p.Slug, c.title+", "+p.Name, c.desc, rep)
			if c.metric == app.UsageSeatsUsed && len(ch.Series) == 1 {
				ch.Series[0] = "seats"
			}
			u.Charts = append(u.Charts, ch)
		}
		out = append(out, u)
	}
	return out, nil
}
