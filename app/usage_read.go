package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"optare/store"
)

// UsageQuery asks for one usage metric over a period, narrowed to an
// organization, an API key or a product.
type UsageQuery struct {
	Metric         string `json:"metric"`
	Period         string `json:"period"` // 24h (hourly), 7d, 30d or 90d (daily)
	OrganizationID string `json:"organization_id"`
	APIKeyID       string `json:"api_key_id"`
	ProductID      string `json:"product_id"`
}

// UsageReport is a metric's counts per interval and label.
type UsageReport struct {
	Metric   string           `json:"metric"`
	Period   string           `json:"period"`
	Interval string           `json:"interval"` // hour or day
	Since    time.Time        `json:"since"`
	Until    time.Time        `json:"until"`
	Labels   []string         `json:"labels"`
	Points   []UsagePoint     `json:"points"`
	Totals   map[string]int64 `json:"totals"`
	Total    int64            `json:"total"`
	// Top are the subjects (API keys, products, endpoints) by count.
	Top []UsageSubject `json:"top"`
}

// UsagePoint is one interval's counts by label ("" when a metric has none).
type UsagePoint struct {
	Time   time.Time        `json:"time"`
	Counts map[string]int64 `json:"counts"`
}

// UsageSubject is one subject's total in the period.
type UsageSubject struct {
	Subject        string `json:"subject"`
	OrganizationID string `json:"organization_id"`
	Count          int64  `json:"count"`
}

var (
	// serverMetrics are instance-wide: operators only.
	serverMetrics = []string{UsageRequests, UsageOAuthFailures, UsageSignIns, UsageRateLimited}
	orgMetrics    = []string{UsageKeyRequests, UsageKeyLicenseChecks, UsageLicenseChecks, UsageSeatsUsed}
	// memberMetrics are what an organization's members see of its usage.
	memberMetrics = []string{UsageLicenseChecks, UsageSeatsUsed}
	periods       = map[string]time.Duration{"24h": 24 * time.Hour, "7d": 7 * 24 * time.Hour, "30d": 30 * 24 * time.Hour, "90d": 90 * 24 * time.Hour}
)

// Usage reports a usage metric: operators see every metric, an
// organization's admins (and its API keys) their own keys' and products'
// figures, its members their products' licence checks and seats in use.
// Counts not yet flushed are included.
func (s *Service) Usage(ctx context.Context, a Actor, q UsageQuery) (UsageReport, error) {
	q.Metric, q.Period = strings.TrimSpace(q.Metric), strings.TrimSpace(q.Period)
	if q.Period == "" {
		q.Period = "24h"
	}
	f := fields{}
	if !slices.Contains(serverMetrics, q.Metric) && !slices.Contains(orgMetrics, q.Metric) {
		f.add("metric", "Choose one of "+strings.Join(append(slices.Clone(serverMetrics), orgMetrics...), ", ")+".")
	}
	span, ok := periods[q.Period]
	if !ok {
		f.add("period", "Choose 24h, 7d, 30d or 90d.")
	}
	if q.Metric == UsageSeatsUsed && q.Period == "24h" {
		f.add("period", "Seats in use are a daily figure: choose 7d, 30d or 90d.")
	}
	if err := f.err(); err != nil {
		return UsageReport{}, err
	}
	if q.APIKeyID != "" && q.ProductID != "" {
		f.add("product_id", "Narrow to an API key or a product, not both.")
		return UsageReport{}, f.err()
	}
	if !a.IsOperatorAdmin() {
		denied := errForbidden("This usage is not yours to see.")
		switch {
		case slices.Contains(serverMetrics, q.Metric):
			return UsageReport{}, denied
		case q.OrganizationID != "" && q.OrganizationID != a.OrgID:
			return UsageReport{}, denied
		case !slices.Contains(memberMetrics, q.Metric) && !a.IsOrgAdmin(a.OrgID):
			return UsageReport{}, denied
		case a.OrgID == "":
			return UsageReport{}, denied
		}
		q.OrganizationID = a.OrgID
	}
	r := UsageReport{Metric: q.Metric, Period: q.Period, Interval: "day", Totals: map[string]int64{}, Labels: []string{}, Top: []UsageSubject{}}
	step := 24 * time.Hour
	if span <= 24*time.Hour {
		r.Interval, step = "hour", time.Hour
	}
	now := s.now().UTC()
	r.Until = now.Truncate(step).Add(step)
	r.Since = r.Until.Add(-span)
	filter := store.UsageFilter{Metrics: []string{q.Metric}, Since: r.Since, Until: r.Until, OrgID: q.OrganizationID,
		Subject: q.APIKeyID + q.ProductID}
	var rows []store.UsageCount
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		rows, err = tx.Usage(ctx, filter)
		return err
	})
	if err != nil {
		return UsageReport{}, errInternal("read usage: %w", err)
	}
	rows = append(rows, s.usage.pendingMatching(filter)...)
	fillUsage(&r, rows, step)
	return r, nil
}

// fillUsage sums rows into the report's intervals, labels and subjects.
func fillUsage(r *UsageReport, rows []store.UsageCount, step time.Duration) {
	for t := r.Since; t.Before(r.Until); t = t.Add(step) {
		r.Points = append(r.Points, UsagePoint{Time: t, Counts: map[string]int64{}})
	}
	top := map[[2]string]int64{}
	for _, c := range rows {
		i := int(c.Hour.Sub(r.Since) / step)
		if i < 0 || i >= len(r.Points) {
			continue
		}
		r.Points[i].Counts[c.Label] += c.Count
		if _, ok := r.Totals[c.Label]; !ok {
			r.Labels = append(r.Labels, c.Label)
		}
		r.Totals[c.Label] += c.Count
		r.Total += c.Count
		top[[2]string{c.Subject, c.OrgID}] += c.Count
	}
	slices.Sort(r.Labels)
	for k, n := range top {
		if k[0] != "" {
			r.Top = append(r.Top, UsageSubject{Subject: k[0], OrganizationID: k[1], Count: n})
		}
	}
	slices.SortFunc(r.Top, func(a, b UsageSubject) int {
		if a.Count != b.Count {
			return int(b.Count - a.Count)
		}
		return strings.Compare(a.Subject, b.Subject)
	})
	if len(r.Top) > 10 {
		r.Top = r.Top[:10]
	}
}

// pendingMatching copies the unflushed counts that f selects.
func (u *usageCounts) pendingMatching(f store.UsageFilter) []store.UsageCount {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []store.UsageCount
	for k, n := range u.pending {
		h := time.Unix(k.hour, 0).UTC()
		if !slices.Contains(f.Metrics, k.metric) || h.Before(f.Since) || !h.Before(f.Until) ||
			(f.OrgID != "" && k.org != f.OrgID) || (f.Subject != "" && k.subject != f.Subject) {
			continue
		}
		out = append(out, store.UsageCount{Metric: k.metric, Hour: h, OrgID: k.org, Subject: k.subject, Label: k.label, Count: n})
	}
	return out
}
