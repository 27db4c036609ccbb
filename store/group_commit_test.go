package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// insertJTI writes one row of a table without foreign keys; a jti written
// twice is ErrConflict.
func insertJTI(ctx context.Context, tx *Tx, jti string) error {
	_, err := tx.exec(ctx, "INSERT INTO oauth_revoked_tokens (jti, expires_at) VALUES (?, ?)", jti, formatTime(tx.Now.Add(time.Hour)))
	return err
}

// jtis lists the rows insertJTI wrote, in order.
func jtis(t *testing.T, db *DB) []string {
	t.Helper()
	var out []string
	err := db.Read(context.Background(), func(tx *Tx) error {
		rows, err := tx.query(context.Background(), "SELECT jti FROM oauth_revoked_tokens ORDER BY jti")
		out, err = collect(rows, err, func(s scanner) (string, error) {
			var j string
			return j, s.Scan(&j)
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// holdWriter takes the writer (on PostgreSQL, the write lock) until the
// returned function is called, so that WriteGrouped calls queue behind it.
func holdWriter(t *testing.T, db *DB) (release func()) {
	t.Helper()
	held, done := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- db.Write(context.Background(), func(*Tx) error {
			close(held)
			<-done
			return nil
		})
	}()
	<-held
	var once sync.Once
	release = func() {
		once.Do(func() {
			close(done)
			if err := <-errc; err != nil {
				t.Error(err)
			}
		})
	}
	t.Cleanup(release) // a test that stops early must not leave Close waiting for the writer
	return release
}

// waitQueued waits until n calls wait in the queue (not yet taken).
func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		db.group.mu.Lock()
		got := len(db.group.queue)
		db.group.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued, want %d", got, n)
		}
	}
}

// grouped starts a WriteGrouped call of fn and returns its outcome's channel.
func grouped(ctx context.Context, db *DB, fn func(context.Context, *Tx) error) <-chan error {
	out := make(chan error, 1)
	go func() { out <- db.WriteGrouped(ctx, fn) }()
	return out
}

// queueGroup holds the writer, lets the group goroutine take a first call
// (it then waits for the writer), and queues fns behind it, in order: once
// released, they run as one group.
func queueGroup(t *testing.T, db *DB, fns ...func(context.Context, *Tx) error) (release func(), outcomes []<-chan error) {
	t.Helper()
	ctx := context.Background()
	held := holdWriter(t, db)
	first := &groupItem{fn: func(ctx context.Context, tx *Tx) error { return insertJTI(ctx, tx, "0-first") },
		res: make(chan groupResult, 1)}
	if err := db.group.enqueue(db, first); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); first.state.Load() != itemTaken; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first call was not taken")
		}
	}
	// The goroutine now waits for the writer: what comes next queues.
	for i, fn := range fns {
		outcomes = append(outcomes, grouped(ctx, db, fn))
		waitQueued(t, db, i+1)
	}
	return func() {
		held()
		if r := <-first.res; r.err != nil {
			t.Error(r.err)
		}
	}, outcomes
}

func TestWriteGroupedRollsBackOnlyTheFailedItem(t *testing.T) {
	db := openTemp(t)
	errRefused := errors.New("refused")
	panicked := make(chan any, 1)
	release, out := queueGroup(t, db,
		func(ctx context.Context, tx *Tx) error { return insertJTI(ctx, tx, "a") },
		func(ctx context.Context, tx *Tx) error {
			if err := insertJTI(ctx, tx, "b"); err != nil {
				return err
			}
			return insertJTI(ctx, tx, "a") // a statement that fails: on PostgreSQL the transaction is aborted until the rollback
		},
		func(ctx context.Context, tx *Tx) error { return insertJTI(ctx, tx, "c") },
		func(ctx context.Context, tx *Tx) error {
			if err := insertJTI(ctx, tx, "d"); err != nil {
				return err
			}
			return errRefused
		},
	)
	// A panicking item: its caller panics, the others commit.
	go func() {
		defer func() { panicked <- recover() }()
		db.WriteGrouped(context.Background(), func(ctx context.Context, tx *Tx) error {
			if err := insertJTI(ctx, tx, "e"); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	waitQueued(t, db, 5)
	last := grouped(context.Background(), db, func(ctx context.Context, tx *Tx) error { return insertJTI(ctx, tx, "f") })
	waitQueued(t, db, 6)
	release()
	want := []error{nil, ErrConflict, nil, errRefused}
	for i, c := range out {
		if err := <-c; !errors.Is(err, want[i]) || (want[i] == nil) != (err == nil) {
			t.Errorf("item %d: %v, want %v", i, err, want[i])
		}
	}
	if p := <-panicked; p != "boom" {
		t.Errorf("panic reached the caller as %v", p)
	}
	if err := <-last; err != nil {
		t.Errorf("item after the panic: %v", err)
	}
	if got, want := jtis(t, db), []string{"0-first", "a", "c", "f"}; !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
}

func TestWriteGroupedServesInOrder(t *testing.T) {
	db := openTemp(t)
	var order []int // appended by the group goroutine only
	var fns []func(context.Context, *Tx) error
	for i := range 20 {
		fns = append(fns, func(ctx context.Context, tx *Tx) error {
			order = append(order, i)
			return insertJTI(ctx, tx, fmt.Sprintf("item-%02d", i))
		})
	}
	release, out := queueGroup(t, db, fns...)
	release()
	for i, c := range out {
		if err := <-c; err != nil {
			t.Fatalf("item %d: %v", i, err)
		}
	}
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}; !slices.Equal(order, want) {
		t.Errorf("ran in order %v", order)
	}
	if got := jtis(t, db); len(got) != 21 {
		t.Errorf("%d rows, want 21", len(got))
	}
}

func TestWriteGroupedCancelledWhileQueued(t *testing.T) {
	db := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	ran := false
	release, _ := queueGroup(t, db)
	withdrawn := grouped(ctx, db, func(ctx context.Context, tx *Tx) error {
		ran = true
		return insertJTI(ctx, tx, "withdrawn")
	})
	waitQueued(t, db, 1)
	cancel()
	// Answered at once, while the writer is still held.
	select {
	case err := <-withdrawn:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled call: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled call waited for the writer")
	}
	after := grouped(context.Background(), db, func(ctx context.Context, tx *Tx) error { return insertJTI(ctx, tx, "after") })
	release()
	if err := <-after; err != nil {
		t.Fatal(err)
	}
	if ran {
		t.Error("the withdrawn call's function ran")
	}
	if got, want := jtis(t, db), []string{"0-first", "after"}; !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
	if err := db.WriteGrouped(ctx, func(context.Context, *Tx) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("call with a cancelled context: %v", err)
	}
}

// Concurrent calls, some failing, as the token endpoint makes them: every
// success is committed, every failure left nothing.
func TestWriteGroupedConcurrent(t *testing.T) {
	db := openTemp(t)
	const n = 64
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = db.WriteGrouped(context.Background(), func(ctx context.Context, tx *Tx) error {
				if err := insertJTI(ctx, tx, fmt.Sprintf("ok-%02d", i)); err != nil || i%4 != 0 {
					return err
				}
				return insertJTI(ctx, tx, fmt.Sprintf("ok-%02d", i)) // every fourth fails on its own duplicate
			})
		})
	}
	wg.Wait()
	var want []string
	for i, err := range errs {
		if i%4 == 0 {
			if !errors.Is(err, ErrConflict) {
				t.Errorf("call %d: %v, want a conflict", i, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
		want = append(want, fmt.Sprintf("ok-%02d", i))
	}
	if got := jtis(t, db); !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
}

// Close commits what was queued (those calls were accepted) before the
// writer closes, and refuses what comes after.
func TestWriteGroupedCloseFinishesTheQueue(t *testing.T) {
	dsn := tempDSN(t)
	db, err := Open(context.Background(), dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	release, out := queueGroup(t, db, func(ctx context.Context, tx *Tx) error { return insertJTI(ctx, tx, "queued") })
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		db.group.mu.Lock()
		stopping := db.group.closed
		db.group.mu.Unlock()
		if stopping {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Close did not start")
		}
	}
	if err := db.WriteGrouped(context.Background(), func(context.Context, *Tx) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("call after Close: %v", err)
	}
	release()
	if err := <-out[0]; err != nil {
		t.Errorf("queued call: %v", err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	db, err = Open(context.Background(), dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, want := jtis(t, db), []string{"0-first", "queued"}; !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
}
