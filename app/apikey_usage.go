package app

import (
	"sync"
	"time"
)

// keyUsage gathers API keys' last-used times in memory, so authenticating a
// request never writes; FlushAPIKeyUsage writes them in one batch. It is
// the one owner of this state.
type keyUsage struct {
	mu      sync.Mutex
	pending map[string]time.Time
}

func newKeyUsage() *keyUsage { return &keyUsage{pending: map[string]time.Time{}} }

func (k *keyUsage) touch(id string, t time.Time) {
	k.mu.Lock()
	if t.After(k.pending[id]) {
		k.pending[id] = t
	}
	k.mu.Unlock()
}

// take hands over what has gathered and starts afresh.
func (k *keyUsage) take() map[string]time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := k.pending
	k.pending = map[string]time.Time{}
	return out
}

// putBack returns entries a failed flush could not write.
func (k *keyUsage) putBack(m map[string]time.Time) {
	for id, t := range m {
		k.touch(id, t)
	}
}

// KeyUsageFlushInterval is how often serve writes last-used times and
// the hourly usage counters.
const KeyUsageFlushInterval = 30 * time.Second

// last is the latest use of key id not yet flushed.
func (k *keyUsage) last(id string) (time.Time, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	t, ok := k.pending[id]
	return t, ok
}
