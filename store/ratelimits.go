package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// RateTake is requests counted against a key's fixed window.
type RateTake struct {
	Key         string
	WindowStart time.Time // the same on every replica: the window aligned to the epoch
	Window      time.Duration
	// N is how many requests to count (a replica claims a batch, then
	// serves it from memory); zero counts one.
	N int
}

// Shared reports whether several servers may serve this database at once
// (PostgreSQL): state that one process would keep in memory, like
// rate-limit counts, must then live in the database.
func (db *DB) Shared() bool { return db.engine == postgresEngine }

// TakeRates counts requests against each key's window in one statement
// (one round trip) and returns each key's count in its window, these
// requests included. It runs outside the writers' lock: the row locks of
// the upsert are enough, so throttling never queues behind a slow write.
func (db *DB) TakeRates(ctx context.Context, takes []RateTake) ([]int, error) {
	if len(takes) == 0 {
		return nil, nil
	}
	var b strings.Builder
	b.WriteString("INSERT INTO rate_windows (key, window_start, count, expires_at) VALUES ")
	args := make([]any, 0, 3*len(takes))
	for i, t := range takes {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?)")
		args = append(args, t.Key, formatTime(t.WindowStart), max(t.N, 1), formatTime(t.WindowStart.Add(t.Window)))
	}
	b.WriteString(` ON CONFLICT (key) DO UPDATE SET
		count = CASE WHEN rate_windows.window_start = excluded.window_start THEN rate_windows.count + excluded.count ELSE excluded.count END,
		window_start = excluded.window_start, expires_at = excluded.expires_at
		RETURNING key, count`)
	db.sqliteTrip()
	db.trips.writes.Add(1)
	// PostgreSQL: the reader pool, so counts never queue behind writers
	// waiting for the write lock; SQLite's readers are read-only.
	pool := db.writer
	if db.engine == postgresEngine {
		pool = db.reader
	}
	rows, err := pool.QueryContext(ctx, db.q(b.String()), args...)
	if err != nil {
		return nil, fmt.Errorf("count requests: %w", mapErr(err))
	}
	defer rows.Close()
	byKey := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("count requests: %w", err)
		}
		byKey[k] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count requests: %w", err)
	}
	out := make([]int, len(takes))
	for i, t := range takes {
		out[i] = byKey[t.Key]
	}
	return out, nil
}

// RateCount is a key's count in the window starting at windowStart (0 when
// it has none), without counting.
func (db *DB) RateCount(ctx context.Context, key string, windowStart time.Time) (int, error) {
	var n int
	db.sqliteTrip()
	err := db.reader.QueryRowContext(ctx, db.q("SELECT count FROM rate_windows WHERE key = ? AND window_start = ?"), key, formatTime(windowStart)).Scan(&n)
	if err != nil && mapErr(err) != ErrNotFound {
		return 0, fmt.Errorf("read request count: %w", err)
	}
	return n, nil
}

// DeleteExpiredRateWindows removes up to limit windows that have ended.
func (tx *Tx) DeleteExpiredRateWindows(ctx context.Context, limit int) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM rate_windows WHERE key IN (SELECT key FROM rate_windows WHERE expires_at <= ? LIMIT ?)", formatTime(tx.Now), limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
