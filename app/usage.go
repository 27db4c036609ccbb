package app

import (
	"context"
	"sync"
	"time"

	"optare/app/metrics"
	"optare/store"
)

// Usage metrics kept by the hour (usage_hourly.metric).
const (
	UsageRequests         = "requests"           // label: status class
	UsageKeyRequests      = "key_requests"       // subject: API key
	UsageKeyLicenseChecks = "key_license_checks" // subject: API key, label: code
	UsageLicenseChecks    = "license_checks"     // organization, subject: product, label: code
	UsageOAuthFailures    = "oauth_failures"     // subject: endpoint, label: error code
	UsageSignIns          = "sign_ins"           // subject: method, label: result
	UsageRateLimited      = "rate_limited"       // label: scope
	// UsageSeatsUsed is a daily snapshot, not a count: the seats in use of
	// an organization's subscription to a product (subject), set by the
	// sweep once an hour (the day's row holds the latest figure).
	UsageSeatsUsed = "seats_used"
)

// DefaultUsageRetention is how long hourly usage is kept.
const DefaultUsageRetention = 90 * 24 * time.Hour

type usageKey struct {
	metric, org, subject, label string
	hour                        int64 // Unix seconds of the hour's start
}

// usageCounts gathers hourly counters in memory so that counting a request
// never writes; FlushUsage adds them to the database in one batch. It is the
// one owner of this state.
type usageCounts struct {
	mu      sync.Mutex
	pending map[usageKey]int64
}

func newUsageCounts() *usageCounts { return &usageCounts{pending: map[usageKey]int64{}} }

func (u *usageCounts) add(t time.Time, metric, org, subject, label string, n int64) {
	k := usageKey{metric: metric, org: org, subject: subject, label: label, hour: t.Unix() - t.Unix()%3600}
	u.mu.Lock()
	u.pending[k] += n
	u.mu.Unlock()
}

// take hands over what has gathered and starts afresh.
func (u *usageCounts) take() map[usageKey]int64 {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := u.pending
	u.pending = make(map[usageKey]int64, len(out))
	return out
}

// putBack returns counts a failed flush could not write.
func (u *usageCounts) putBack(m map[usageKey]int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for k, n := range m {
		u.pending[k] += n
	}
}

func usageRows(m map[usageKey]int64) []store.UsageCount {
	rows := make([]store.UsageCount, 0, len(m))
	for k, n := range m {
		rows = append(rows, store.UsageCount{Metric: k.metric, Hour: time.Unix(k.hour, 0).UTC(),
			OrgID: k.org, Subject: k.subject, Label: k.label, Count: n})
	}
	return rows
}

// FlushAPIKeyUsage writes what requests gathered since the last flush in one
// transaction: API keys' last-used times and the hourly usage counters.
// Serve calls it periodically and on shutdown; on failure everything is
// kept for the next flush.
func (s *Service) FlushAPIKeyUsage(ctx context.Context) error {
	used, counts := s.keyUsage.take(), s.usage.take()
	if len(used) == 0 && len(counts) == 0 {
		return nil
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.TouchAPIKeys(ctx, used); err != nil {
			return err
		}
		return tx.AddUsage(ctx, usageRows(counts))
	})
	if err != nil {
		s.keyUsage.putBack(used)
		s.usage.putBack(counts)
		return errInternal("flush usage: %w", err)
	}
	return nil
}

// RecordRequest counts one answered HTTP request (the request middleware
// calls it): the Prometheus figures and the hourly status classes.
func (s *Service) RecordRequest(door, route string, status int, d time.Duration) {
	s.metrics.Request(door, route, status, d.Seconds())
	if door == "static" || door == "ops" {
		return // assets and probes would drown the portal's chart
	}
	s.usage.add(s.now(), UsageRequests, "", "", metrics.StatusClass(status), 1)
}

// RecordOAuthFailure counts a refused OAuth request at endpoint with its
// RFC error code (the OAuth door calls it where it writes the error).
func (s *Service) RecordOAuthFailure(endpoint, code string) {
	s.metrics.OAuthFailure(endpoint, code)
	s.usage.add(s.now(), UsageOAuthFailures, "", endpoint, code, 1)
}

func (s *Service) recordSignIn(method, result string) {
	s.metrics.SignIn(method, result)
	s.usage.add(s.now(), UsageSignIns, "", method, result, 1)
}

func (s *Service) recordRateLimited(scope string) {
	s.metrics.RateLimited(scope)
	s.usage.add(s.now(), UsageRateLimited, "", "", scope, 1)
}

func (s *Service) recordLicenseCheck(a Actor, orgID string, lic License) {
	s.metrics.LicenseCheck(lic.Code)
	now := s.now()
	if lic.Product != nil {
		s.usage.add(now, UsageLicenseChecks, orgID, lic.Product.ID, lic.Code, 1)
	}
	if a.Kind == ActorAPIKey {
		s.usage.add(now, UsageKeyLicenseChecks, a.OrgID, a.ID, lic.Code, 1)
	}
}

// snapshotSeats records the day's seats in use per (organization,
// product); the sweep calls it, and it writes at most once an hour.
func (s *Service) snapshotSeats(ctx context.Context) error {
	now := s.now().UTC()
	hour := now.Truncate(time.Hour).Unix()
	if s.lastSnapshot.Swap(hour) == hour {
		return nil
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error { return tx.SnapshotSeats(ctx, UsageSeatsUsed, now.Truncate(24*time.Hour)) })
	if err != nil {
		s.lastSnapshot.Store(0)
		return errInternal("snapshot seats: %w", err)
	}
	return nil
}
