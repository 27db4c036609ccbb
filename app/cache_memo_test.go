package app

import (
	"testing"
	"time"
)

// TestMemoEpochs: a value read before a change (an older epoch) never
// outlives it, even when it is put after the change was seen; time-bound
// entries end at their time; a full cache starts afresh.
func TestMemoEpochs(t *testing.T) {
	m := newMemo[string, int](2)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m.put(1, "a", 1, time.Time{})
	if v, ok := m.get(1, "a", now); !ok || v != 1 {
		t.Fatalf("get in the same epoch: %d %v", v, ok)
	}
	if _, ok := m.get(2, "a", now); ok {
		t.Fatal("a value of epoch 1 served in epoch 2")
	}
	m.put(2, "b", 2, time.Time{})
	m.put(1, "a", 1, time.Time{}) // a read that raced the change to epoch 2
	if _, ok := m.get(2, "a", now); ok {
		t.Fatal("a late put of an older epoch was kept")
	}
	m.put(2, "c", 3, now.Add(time.Minute))
	if _, ok := m.get(2, "c", now.Add(time.Minute)); ok {
		t.Fatal("a value served at its end time")
	}
	m.put(2, "d", 4, time.Time{})
	if m.len() > 2 {
		t.Fatalf("%d entries in a cache of 2", m.len())
	}
}
