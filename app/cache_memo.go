package app

import (
	"sync"
	"time"
)

// memo is an in-memory cache of what the hot paths re-read on every
// request (clients, API keys, licence facts, verified access tokens,
// userinfo). Its entries hold for one cache epoch of the database
// (store.DB.CacheEpoch), which moves when a write changes cached data —
// at once in this process, and soon after in every other (the CLI, other
// replicas) — and, when they have one, until a time (a token's expiry, a
// subscription's end).
//
// A caller reads the epoch BEFORE reading the database and puts the value
// under that epoch: a put from a read that raced a write carries the old
// epoch and is dropped, so a stale value can never stay.
type memo[K comparable, V any] struct {
	mu    sync.RWMutex
	epoch uint64
	m     map[K]memoEntry[V]
	max   int
}

type memoEntry[V any] struct {
	v     V
	until time.Time // zero: no time bound
}

// defaultMemoSize bounds each cache: a full cache is emptied and refills
// with what is in use, which is simpler than an LRU and as good for the
// hot paths' working sets.
const defaultMemoSize = 10000

func newMemo[K comparable, V any](size int) *memo[K, V] {
	return &memo[K, V]{m: make(map[K]memoEntry[V]), max: size}
}

// get returns k's value if it was put in epoch and has not expired at now.
func (c *memo[K, V]) get(epoch uint64, k K, now time.Time) (V, bool) {
	c.mu.RLock()
	e, ok := c.m[k]
	same := c.epoch == epoch
	c.mu.RUnlock()
	if !ok || !same || (!e.until.IsZero() && !now.Before(e.until)) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// put stores v for k as read in epoch, valid until (zero: while the epoch
// lasts). A value of an older epoch than the cache's is dropped; a newer
// epoch empties the cache first.
func (c *memo[K, V]) put(epoch uint64, k K, v V, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case epoch < c.epoch:
		return
	case epoch > c.epoch:
		c.epoch = epoch
		clear(c.m)
	case len(c.m) >= c.max:
		clear(c.m)
	}
	c.m[k] = memoEntry[V]{v: v, until: until}
}

// len is the number of entries (tests).
func (c *memo[K, V]) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
