package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Sessions is the scs session store on this database (it satisfies
// scs.CtxStore). Sessions live in the database so they survive restarts
// and every replica sees them.
type Sessions struct{ db *DB }

// Sessions returns the web-session store.
func (db *DB) Sessions() *Sessions { return &Sessions{db: db} }

// FindCtx returns the data of an unexpired session.
func (s *Sessions) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	s.db.sqliteTrip()
	err := s.db.reader.QueryRowContext(ctx, s.db.q("SELECT data FROM sessions WHERE token = ? AND expiry > ?"), token, unixFloat(s.db.now())).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return b, true, nil
}

// CommitCtx stores or replaces a session.
func (s *Sessions) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	s.db.sqliteTrip()
	_, err := s.db.writer.ExecContext(ctx, s.db.q("INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?) ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry"), token, b, unixFloat(expiry))
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	return nil
}

// DeleteCtx removes a session.
func (s *Sessions) DeleteCtx(ctx context.Context, token string) error {
	s.db.sqliteTrip()
	if _, err := s.db.writer.ExecContext(ctx, s.db.q("DELETE FROM sessions WHERE token = ?"), token); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Find is FindCtx without a context (scs.Store).
func (s *Sessions) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context (scs.Store).
func (s *Sessions) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context (scs.Store).
func (s *Sessions) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteExpiredSessions removes up to limit expired sessions and reports how
// many went; the sweeper calls it in small batches so the writer is never
// held for long.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context, limit int) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM sessions WHERE token IN (SELECT token FROM sessions WHERE expiry <= ? LIMIT ?)", unixFloat(tx.Now), limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func unixFloat(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
