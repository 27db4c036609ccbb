package app

import (
	"context"
	"time"

	"optare/store"
)

// sharedRateTimeout bounds a shared count: Throttle has no request context,
// and a request must not hang on its rate limit.
const sharedRateTimeout = 2 * time.Second

// takeShared counts key in the database, for a database several servers
// serve: a key's 100 per minute then holds across all of them. Windows are
// aligned to the clock so every replica agrees on them. If the database
// cannot count, the request is allowed: it will meet the same database
// next and fail there with a proper error.
func (l *limiter) takeShared(key string, lim RateLimit) (RateStatus, bool) {
	now := l.now()
	start := now.Truncate(lim.Window)
	ctx, cancel := context.WithTimeout(context.Background(), sharedRateTimeout)
	defer cancel()
	n, err := l.shared.TakeRates(ctx, []store.RateTake{{Key: key, WindowStart: start, Window: lim.Window}})
	if err != nil {
		return RateStatus{Limit: lim.Limit, Remaining: lim.Limit, Reset: start.Add(lim.Window).Sub(now)}, true
	}
	return sharedStatus(n[0], lim, start, now), n[0] <= lim.Limit
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
