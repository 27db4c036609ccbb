package app

import (
	"context"
	"time"

	"optare/store"
)

// sharedRateTimeout bounds a shared count: Throttle has no request context,
// and a request must not hang on its rate limit.
const sharedRateTimeout = 2 * time.Second

// leaseShare sets the batch a replica claims: a sixteenth of what is left
// of the window's limit (at least one). Claims shrink as the window fills,
// so what replicas hold unused when it is full stays within a few percent
// of the limit, while a busy key costs one shared count per batch instead
// of one per request.
const leaseShare = 16

// lease is this replica's claim on a key's shared window: requests counted
// in the database but not yet served, and the window's count as last seen.
type lease struct {
	start time.Time
	left  int
	count int
}

// takeShared counts key in the database, for a database several servers
// serve: a key's 100 per minute then holds across all of them. Windows are
// aligned to the clock so every replica agrees on them. A replica claims
// requests in batches (leaseShare) and serves them from memory, and once
// it has seen the window full it refuses without asking again. The limit
// is never exceeded; a batch claimed but unused makes it refuse a few
// requests early. If the database cannot count, the request is allowed:
// it will meet the same database next and fail there with a proper error.
func (l *limiter) takeShared(key string, lim RateLimit) (RateStatus, bool) {
	now := l.now()
	start := now.Truncate(lim.Window)
	l.mu.Lock()
	ls := l.leases[key]
	if ls == nil || !ls.start.Equal(start) {
		l.takes++
		if l.takes%4096 == 0 {
			l.pruneLeases(start)
		}
		ls = &lease{start: start}
		l.leases[key] = ls
	}
	if ls.left > 0 {
		ls.left--
		st := leaseStatus(ls, lim, now)
		l.mu.Unlock()
		return st, true
	}
	if ls.count >= lim.Limit {
		st := leaseStatus(ls, lim, now)
		l.mu.Unlock()
		return st, false
	}
	claim := max(1, (lim.Limit-ls.count)/leaseShare)
	l.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), sharedRateTimeout)
	defer cancel()
	n, err := l.shared.TakeRates(ctx, []store.RateTake{{Key: key, WindowStart: start, Window: lim.Window, N: claim}})
	if err != nil {
		return RateStatus{Limit: lim.Limit, Remaining: lim.Limit, Reset: start.Add(lim.Window).Sub(now)}, true
	}
	granted := min(claim, max(0, lim.Limit-(n[0]-claim)))
	l.mu.Lock()
	defer l.mu.Unlock()
	if ls = l.leases[key]; ls == nil || !ls.start.Equal(start) {
		ls = &lease{start: start}
		l.leases[key] = ls
	}
	ls.count = max(ls.count, n[0])
	if granted == 0 {
		return leaseStatus(ls, lim, now), false
	}
	ls.left += granted - 1
	return leaseStatus(ls, lim, now), true
}

// leaseStatus is the headers' view: what the window has left, counting
// this replica's unused claim as left.
func leaseStatus(ls *lease, lim RateLimit, now time.Time) RateStatus {
	return RateStatus{Limit: lim.Limit, Remaining: max(lim.Limit-ls.count, 0) + ls.left, Reset: ls.start.Add(lim.Window).Sub(now)}
}

// pruneLeases drops leases of windows that have ended (called with l.mu).
func (l *limiter) pruneLeases(current time.Time) {
	for k, ls := range l.leases {
		if ls.start.Before(current.Add(-time.Hour)) {
			delete(l.leases, k)
		}
	}
}

// peekShared is peek for a shared database.
func (l *limiter) peekShared(key string, lim RateLimit) RateStatus {
	now := l.now()
	start := now.Truncate(lim.Window)
	ctx, cancel := context.WithTimeout(context.Background(), sharedRateTimeout)
	defer cancel()
	n, _ := l.shared.RateCount(ctx, key, start)
	return sharedStatus(n, lim, start, now)
}

func sharedStatus(count int, lim RateLimit, start, now time.Time) RateStatus {
	return RateStatus{Limit: lim.Limit, Remaining: max(lim.Limit-count, 0), Reset: start.Add(lim.Window).Sub(now)}
}
