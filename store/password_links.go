package store

import (
	"context"
	"time"
)

// PasswordLink is a password_links row.
type PasswordLink struct {
	TokenHash string
	UserID    string
	Purpose   string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// InsertPasswordLink records a one-time password link.
func (tx *Tx) InsertPasswordLink(ctx context.Context, l PasswordLink) error {
	_, err := tx.exec(ctx, "INSERT INTO password_links (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		l.TokenHash, l.UserID, l.Purpose, formatTime(l.CreatedAt), formatTime(l.ExpiresAt))
	return err
}

// PasswordLink finds an unexpired link by token hash.
func (tx *Tx) PasswordLink(ctx context.Context, hash string) (PasswordLink, error) {
	var l PasswordLink
	var created, expires string
	err := tx.queryRow(ctx, "SELECT token_hash, user_id, purpose, created_at, expires_at FROM password_links WHERE token_hash = ? AND expires_at > ?", hash, formatTime(tx.Now)).
		Scan(&l.TokenHash, &l.UserID, &l.Purpose, &created, &expires)
	if err != nil {
		return l, mapErr(err)
	}
	l.CreatedAt, l.ExpiresAt = parseTime(created), parseTime(expires)
	return l, nil
}

// DeletePasswordLinks removes every link of a user: a used link, and any
// older one, stops working.
func (tx *Tx) DeletePasswordLinks(ctx context.Context, userID string) error {
	_, err := tx.exec(ctx, "DELETE FROM password_links WHERE user_id = ?", userID)
	return err
}

// DeleteExpiredPasswordLinks removes up to limit expired links.
func (tx *Tx) DeleteExpiredPasswordLinks(ctx context.Context, limit int) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM password_links WHERE token_hash IN (SELECT token_hash FROM password_links WHERE expires_at <= ? LIMIT ?)", formatTime(tx.Now), limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
