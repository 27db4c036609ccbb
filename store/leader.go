package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// leaderLock is the advisory lock whose holder runs the background work.
const leaderLock int64 = 0x6f70746172650003

// leadership holds the connection that holds the leader lock: the lock is
// the session's, so it goes when the connection does — a replica that dies
// hands leadership on without anyone clearing it.
type leadership struct {
	mu   sync.Mutex
	conn *sql.Conn
}

// Leader reports whether this process should run the background work
// (sweeps, flushes) now, taking the leadership when it is free. On SQLite
// one process owns the database, so it always leads; on PostgreSQL exactly
// one replica holds an advisory lock and the others are told no, until the
// holder stops or dies.
func (db *DB) Leader(ctx context.Context) (bool, error) {
	if db.engine != postgresEngine {
		return true, nil
	}
	l := &db.leader
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn != nil {
		// Still leader while the session that holds the lock lives.
		if err := l.conn.PingContext(ctx); err == nil {
			return true, nil
		}
		l.conn.Close()
		l.conn = nil
	}
	conn, err := db.reader.Conn(ctx) // not the small writer pool: the leader keeps it
	if err != nil {
		return false, fmt.Errorf("leadership: %w", err)
	}
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", leaderLock).Scan(&got); err != nil {
		conn.Close()
		return false, fmt.Errorf("leadership: %w", err)
	}
	if !got {
		conn.Close()
		return false, nil
	}
	l.conn = conn
	return true, nil
}

// resign gives leadership up (Close).
func (l *leadership) resign() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn != nil {
		l.conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", leaderLock)
		l.conn.Close()
		l.conn = nil
	}
}
