package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// maxGroup bounds how many queued writes one transaction takes, so a long
// queue cannot hold the writer for long.
const maxGroup = 128

// ErrClosed is a WriteGrouped call made after Close.
var ErrClosed = errors.New("store: database closed")

// groupCommit is the queue behind WriteGrouped. One goroutine (started by
// the first call) takes everything queued, oldest first, and runs it as one
// write transaction; what arrives meanwhile waits for the next one. So the
// short writes of the token endpoint pay BEGIN, COMMIT (the WAL append, on
// PostgreSQL the write lock and the network round trips) once per group
// instead of once each, and are served in the order they came:
// database/sql hands a freed connection to a random waiter, which lets an
// unlucky request wait behind dozens of later ones.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*groupItem
	started bool
	closed  bool
	wake    chan struct{} // capacity 1: a wake-up is never lost
	done    chan struct{} // closed when the goroutine has returned
	pending atomic.Int64  // see GroupPending
}

// GroupPending is how many WriteGrouped calls are waiting for their
// answer, queued or in the group being written: what tests watch to line
// concurrent calls up behind a held writer.
func (db *DB) GroupPending() int { return int(db.group.pending.Load()) }

// groupItem states: a queued item is either taken by the goroutine or
// cancelled by its waiter, never both.
const (
	itemQueued int32 = iota
	itemTaken
	itemCancelled
)

type groupItem struct {
	fn    func(context.Context, *Tx) error
	state atomic.Int32
	res   chan groupResult // capacity 1
}

// groupResult is how an item ended: its own error, the group's commit
// error, or the value it panicked with (re-raised in the caller's
// goroutine, where the server's recovery expects it).
type groupResult struct {
	err      error
	panicked any
}

func (r groupResult) failed() bool { return r.err != nil || r.panicked != nil }

// WriteGrouped runs fn like Write, but in a transaction it may share with
// other WriteGrouped calls queued at the same time, each inside its own
// SAVEPOINT: an item whose fn fails is rolled back alone and the others
// commit. It returns only after the group's COMMIT (or fn's own error), so
// a nil error means fn's writes are durable as with Write.
//
// fn must use the context it is given, not the caller's: the statements
// belong to the whole group, and SQLite answers a cancelled statement by
// rolling back the transaction under every item. Cancelling ctx withdraws
// the call while it is still queued (fn then never runs); once its group
// has taken it, the call waits for the group's outcome and reports it.
// fn must not call Write or WriteGrouped: the group holds the writer.
func (db *DB) WriteGrouped(ctx context.Context, fn func(context.Context, *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	it := &groupItem{fn: fn, res: make(chan groupResult, 1)}
	if err := db.group.enqueue(db, it); err != nil {
		return err
	}
	defer db.group.pending.Add(-1)
	var r groupResult
	select {
	case r = <-it.res:
	case <-ctx.Done():
		if it.state.CompareAndSwap(itemQueued, itemCancelled) {
			return ctx.Err()
		}
		r = <-it.res // taken: the answer must say what its group did
	}
	if r.panicked != nil {
		panic(r.panicked)
	}
	return r.err
}

func (g *groupCommit) enqueue(db *DB, it *groupItem) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return ErrClosed
	}
	if !g.started {
		g.started = true
		g.wake, g.done = make(chan struct{}, 1), make(chan struct{})
		go db.groupLoop()
	}
	g.queue = append(g.queue, it)
	g.pending.Add(1)
	select {
	case g.wake <- struct{}{}:
	default:
	}
	return nil
}

// take waits for queued items and returns up to maxGroup of them, oldest
// first, skipping those their callers withdrew; false once the queue is
// closed and empty.
func (g *groupCommit) take() ([]*groupItem, bool) {
	for {
		g.mu.Lock()
		n := min(len(g.queue), maxGroup)
		if n == 0 {
			closed := g.closed
			g.mu.Unlock()
			if closed {
				return nil, false
			}
			<-g.wake
			continue
		}
		items := g.queue[:n:n]
		if g.queue = g.queue[n:]; len(g.queue) == 0 {
			g.queue = nil // let the array go rather than creep along it
		}
		g.mu.Unlock()
		taken := items[:0]
		for _, it := range items {
			if it.state.CompareAndSwap(itemQueued, itemTaken) {
				taken = append(taken, it)
			}
		}
		if len(taken) > 0 {
			return taken, true
		}
	}
}

// stop refuses new items, lets the goroutine finish what is queued (those
// requests were accepted) and waits for it.
func (g *groupCommit) stop() {
	g.mu.Lock()
	g.closed = true
	started := g.started
	if started {
		select {
		case g.wake <- struct{}{}:
		default:
		}
	}
	g.mu.Unlock()
	if started {
		<-g.done
	}
}

func (db *DB) groupLoop() {
	defer close(db.group.done)
	for {
		items, ok := db.group.take()
		if !ok {
			return
		}
		db.commitGroup(items)
	}
}

// savepoint names the one savepoint an item runs in; it is released
// before the next item's.
const savepoint = "grouped_write"

// commitGroup runs items in one write transaction and answers each. A lone
// item runs without a savepoint, exactly as Write would run it.
func (db *DB) commitGroup(items []*groupItem) {
	ctx := context.Background() // the group's, not any one caller's: see WriteGrouped
	results := make([]groupResult, len(items))
	answer := func() {
		for i, it := range items {
			it.res <- results[i]
		}
	}
	failAll := func(err error) {
		for i := range results {
			if !results[i].failed() {
				results[i] = groupResult{err: err}
			}
		}
		answer()
	}
	db.trips.writes.Add(int64(len(items)))
	tx, t, err := db.beginWrite(ctx)
	if err != nil {
		failAll(err)
		return
	}
	defer func() {
		if tx.Rollback() != sql.ErrTxDone {
			db.sqliteTrip()
		}
	}()
	if len(items) == 1 {
		if results[0] = runItem(ctx, t, items[0].fn); !results[0].failed() {
			results[0].err = db.commitWrite(ctx, tx, t)
		}
		answer()
		return
	}
	for i, it := range items {
		if err := t.savepoint(ctx, "SAVEPOINT "+savepoint); err != nil {
			failAll(fmt.Errorf("savepoint: %w", err))
			return
		}
		dirty := t.dirty
		if results[i] = runItem(ctx, t, it.fn); results[i].failed() {
			t.dirty = dirty // its writes are undone: so is their cache change
			if err := t.savepoint(ctx, "ROLLBACK TO SAVEPOINT "+savepoint); err != nil {
				failAll(fmt.Errorf("roll back to savepoint: %w", err))
				return
			}
		}
		if err := t.savepoint(ctx, "RELEASE SAVEPOINT "+savepoint); err != nil {
			failAll(fmt.Errorf("release savepoint: %w", err))
			return
		}
	}
	if err := db.commitWrite(ctx, tx, t); err != nil {
		failAll(err)
		return
	}
	answer()
}

// runItem runs one item's fn, turning a panic into a result so the group
// goes on and the panic reaches the caller.
func runItem(ctx context.Context, t *Tx, fn func(context.Context, *Tx) error) (r groupResult) {
	defer func() {
		if p := recover(); p != nil {
			r = groupResult{panicked: p}
		}
	}()
	return groupResult{err: fn(ctx, t)}
}

// savepoint runs a savepoint statement. Not through exec: it changes no
// data, and SQLite's change count would still report the previous
// statement's rows, which exec would take for a cache change.
func (tx *Tx) savepoint(ctx context.Context, stmt string) error {
	tx.db.sqliteTrip()
	_, err := tx.tx.ExecContext(ctx, stmt)
	return mapErr(err)
}
