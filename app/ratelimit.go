package app

import (
	"fmt"
	"sync"
	"time"

	"optare/store"
)

// RateLimit allows Limit requests per Window.
type RateLimit struct {
	Limit  int
	Window time.Duration
}

// Limits are the REST API's rate limits (SPEC §6).
type Limits struct {
	PerCredential     RateLimit // per API key, or per user for access tokens
	PerOrganization   RateLimit
	AuthFailuresPerIP RateLimit // failed authentications per API key id or client_id, or per IP for unknown ones
	Anonymous         RateLimit // per IP, for the public openapi.json
}

// DefaultLimits are the guide's: 100/minute per key, 1000/hour per
// organization; and 20 failed authentications per IP in 15 minutes.
var DefaultLimits = Limits{
	PerCredential:     RateLimit{100, time.Minute},
	PerOrganization:   RateLimit{1000, time.Hour},
	AuthFailuresPerIP: RateLimit{20, 15 * time.Minute},
	Anonymous:         RateLimit{100, time.Minute},
}

// RateStatus is what the RateLimit-* headers say.
type RateStatus struct {
	Limit     int
	Remaining int
	Reset     time.Duration // until the window starts afresh
}

// limiter counts requests in fixed windows per key, in memory. It is the
// one owner of rate-limit state: when several servers share the database
// (shared set), it counts there instead (ratelimit_shared.go).
type limiter struct {
	mu      sync.Mutex
	now     func() time.Time
	windows map[string]*window
	takes   int
	shared  *store.DB
	// leases are this replica's batches of shared counts (ratelimit_shared.go).
	leases map[string]*lease
}

type window struct {
	start time.Time
	count int
	span  time.Duration
}

// newLimiter counts in memory, or in db when several servers share it.
func newLimiter(now func() time.Time, db *store.DB) *limiter {
	l := &limiter{now: now, windows: map[string]*window{}, leases: map[string]*lease{}}
	if db != nil && db.Shared() {
		l.shared = db
	}
	return l
}

// take counts one request against key and reports whether it is allowed.
// A refused request is not counted.
func (l *limiter) take(key string, lim RateLimit) (RateStatus, bool) {
	if l.shared != nil {
		return l.takeShared(key, lim)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.takes++
	if l.takes%4096 == 0 {
		l.prune(now)
	}
	w := l.current(key, lim, now)
	if w.count >= lim.Limit {
		return l.status(w, lim, now), false
	}
	w.count++
	return l.status(w, lim, now), true
}

// peek reports the state of key without counting.
func (l *limiter) peek(key string, lim RateLimit) RateStatus {
	if l.shared != nil {
		return l.peekShared(key, lim)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	return l.status(l.current(key, lim, now), lim, now)
}

// has reports whether key has a running window.
func (l *limiter) has(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	return w != nil && l.now().Before(w.start.Add(w.span))
}

func (l *limiter) current(key string, lim RateLimit, now time.Time) *window {
	w := l.windows[key]
	if w == nil || !now.Before(w.start.Add(lim.Window)) {
		w = &window{start: now, span: lim.Window}
		l.windows[key] = w
	}
	return w
}

func (l *limiter) status(w *window, lim RateLimit, now time.Time) RateStatus {
	return RateStatus{Limit: lim.Limit, Remaining: max(lim.Limit-w.count, 0), Reset: w.start.Add(lim.Window).Sub(now)}
}

// prune drops windows that have ended, so keys seen once do not pile up.
func (l *limiter) prune(now time.Time) {
	for k, w := range l.windows {
		if !now.Before(w.start.Add(w.span)) {
			delete(l.windows, k)
		}
	}
}

func errRateLimited(st RateStatus, what string) *Error {
	return &Error{Kind: KindRateLimited, Code: "rate_limited", RetryAfter: st.Reset,
		Message: fmt.Sprintf("Rate limit of %d requests %s exceeded. Retry in %d seconds.", st.Limit, what, retrySeconds(st.Reset))}
}

func retrySeconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }

// Throttle counts one API request of the actor against its credential's and
// its organization's limits. It returns the tighter of the two states for
// the RateLimit-* headers, and a rate-limited error when either is used up.
func (s *Service) Throttle(a Actor) (RateStatus, error) {
	credLimit, orgLimit := s.limitsOf(a)
	cred, ok := s.limiter.take("cred:"+string(a.Kind)+":"+a.ID, credLimit)
	if !ok {
		s.recordRateLimited("key")
		return cred, errRateLimited(cred, "per minute for this credential")
	}
	if a.OrgID == "" {
		return cred, nil
	}
	org, ok := s.limiter.take("org:"+a.OrgID, orgLimit)
	if !ok {
		s.recordRateLimited("organization")
		return org, errRateLimited(org, "per hour for this organization")
	}
	if org.Remaining < cred.Remaining {
		return org, nil
	}
	return cred, nil
}

// ThrottleAnonymous counts an unauthenticated request from ip (the public
// API description).
func (s *Service) ThrottleAnonymous(ip string) (RateStatus, error) {
	st, ok := s.limiter.take("ip:"+ip, s.limits.Anonymous)
	if !ok {
		s.recordRateLimited("address")
		return st, errRateLimited(st, "per minute from this address")
	}
	return st, nil
}

// AuthFailureStatus is the state of the failed-authentication budget a
// refused bearer drew on (its key id's, or ip's for an unknown key), for the
// headers of the refusal.
func (s *Service) AuthFailureStatus(bearer, ip string) RateStatus {
	if s.authFailures.has(failureBudget("key", bearer, ip)) {
		return s.authFailures.peek(failureBudget("key", bearer, ip), s.limits.AuthFailuresPerIP)
	}
	return s.authFailures.peek(failureBudget("key", "", ip), s.limits.AuthFailuresPerIP)
}
