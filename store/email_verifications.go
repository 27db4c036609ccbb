package store

import (
	"context"
	"time"
)

// EmailVerification is an email_verifications row.
type EmailVerification struct {
	TokenHash string
	UserID    string
	Email     string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// InsertEmailVerification records a verification link.
func (tx *Tx) InsertEmailVerification(ctx context.Context, v EmailVerification) error {
	_, err := tx.exec(ctx, "INSERT INTO email_verifications (token_hash, user_id, email, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		v.TokenHash, v.UserID, v.Email, formatTime(v.CreatedAt), formatTime(v.ExpiresAt))
	return err
}

// TakeEmailVerification reads an unexpired link and deletes every link of
// its user: a link works once. ErrNotFound when there is none.
func (tx *Tx) TakeEmailVerification(ctx context.Context, hash string) (EmailVerification, error) {
	var v EmailVerification
	var created, expires string
	err := tx.queryRow(ctx, "SELECT token_hash, user_id, email, created_at, expires_at FROM email_verifications WHERE token_hash = ? AND expires_at > ?",
		hash, formatTime(tx.Now)).Scan(&v.TokenHash, &v.UserID, &v.Email, &created, &expires)
	if err != nil {
		return v, mapErr(err)
	}
	v.CreatedAt, v.ExpiresAt = parseTime(created), parseTime(expires)
	_, err = tx.exec(ctx, "DELETE FROM email_verifications WHERE user_id = ?", v.UserID)
	return v, err
}

// SetEmailVerified marks a user's address as verified.
func (tx *Tx) SetEmailVerified(ctx context.Context, userID string) error {
	return tx.execOne(ctx, "UPDATE users SET email_verified = 1, updated_at = ? WHERE id = ?", formatTime(tx.Now), userID)
}

// DeleteExpiredEmailVerifications removes up to limit expired links.
func (tx *Tx) DeleteExpiredEmailVerifications(ctx context.Context, limit int) (int64, error) {
	return tx.deleteBatch(ctx, "email_verifications", "token_hash", limit)
}
