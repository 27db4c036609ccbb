package store

import (
	"context"
	"time"
)

// UserSession is a user_sessions row: one signed-in browser.
type UserSession struct {
	ID         string
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
}

// InsertUserSession records a new signed-in session.
func (tx *Tx) InsertUserSession(ctx context.Context, s UserSession) error {
	_, err := tx.exec(ctx, "INSERT INTO user_sessions (id, user_id, created_at, last_seen_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?)",
		s.ID, s.UserID, formatTime(s.CreatedAt), formatTime(s.LastSeenAt), s.IP, s.UserAgent)
	return err
}

var userSessionQuery = hot("SELECT id, user_id, created_at, last_seen_at, ip, user_agent FROM user_sessions WHERE id = ? AND user_id = ?")

// UserSession finds a session of a user.
func (tx *Tx) UserSession(ctx context.Context, userID, id string) (UserSession, error) {
	var s UserSession
	var created, seen string
	err := tx.queryRow(ctx, userSessionQuery, id, userID).
		Scan(&s.ID, &s.UserID, &created, &seen, &s.IP, &s.UserAgent)
	if err != nil {
		return s, mapErr(err)
	}
	s.CreatedAt, s.LastSeenAt = parseTime(created), parseTime(seen)
	return s, nil
}

// UserSessions lists a user's sessions, newest first.
func (tx *Tx) UserSessions(ctx context.Context, userID string) ([]UserSession, error) {
	rows, err := tx.query(ctx, "SELECT id, user_id, created_at, last_seen_at, ip, user_agent FROM user_sessions WHERE user_id = ? ORDER BY created_at DESC", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UserSession
	for rows.Next() {
		var s UserSession
		var created, seen string
		if err := rows.Scan(&s.ID, &s.UserID, &created, &seen, &s.IP, &s.UserAgent); err != nil {
			return nil, err
		}
		s.CreatedAt, s.LastSeenAt = parseTime(created), parseTime(seen)
		out = append(out, s)
	}
	return out, rows.Err()
}

// TouchUserSession records activity on a session.
func (tx *Tx) TouchUserSession(ctx context.Context, id string, seen time.Time) error {
	_, err := tx.exec(ctx, "UPDATE user_sessions SET last_seen_at = ? WHERE id = ?", formatTime(seen), id)
	return err
}

// DeleteUserSession ends one session of a user.
func (tx *Tx) DeleteUserSession(ctx context.Context, userID, id string) error {
	return tx.execOne(ctx, "DELETE FROM user_sessions WHERE id = ? AND user_id = ?", id, userID)
}

// DeleteUserSessions ends every session of a user except keep ("" ends all)
// and reports how many ended.
func (tx *Tx) DeleteUserSessions(ctx context.Context, userID, keep string) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM user_sessions WHERE user_id = ? AND id <> ?", userID, keep)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DeleteUserSessionsBefore removes up to limit sessions created before t
// (older than any session can live).
func (tx *Tx) DeleteUserSessionsBefore(ctx context.Context, t time.Time, limit int) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM user_sessions WHERE id IN (SELECT id FROM user_sessions WHERE created_at < ? LIMIT ?)", formatTime(t), limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
