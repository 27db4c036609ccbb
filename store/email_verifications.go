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
	return tx.insertLink(ctx, emailVerifications, oneTimeLink{TokenHash: v.TokenHash, UserID: v.UserID, Detail: v.Email,
		CreatedAt: v.CreatedAt, ExpiresAt: v.ExpiresAt})
}

// TakeEmailVerification reads an unexpired link and deletes every link of
// its user: a link works once. ErrNotFound when there is none.
func (tx *Tx) TakeEmailVerification(ctx context.Context, hash string) (EmailVerification, error) {
	l, err := tx.link(ctx, emailVerifications, hash)
	v := EmailVerification{TokenHash: l.TokenHash, UserID: l.UserID, Email: l.Detail, CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt}
	if err != nil {
		return v, err
	}
	return v, tx.deleteLinks(ctx, emailVerifications, v.UserID)
}

// SetEmailVerified marks a user's address as verified.
func (tx *Tx) SetEmailVerified(ctx context.Context, userID string) error {
	return tx.execOne(ctx, "UPDATE users SET email_verified = 1, updated_at = ? WHERE id = ?", formatTime(tx.Now), userID)
}

// DeleteExpiredEmailVerifications removes up to limit expired links.
func (tx *Tx) DeleteExpiredEmailVerifications(ctx context.Context, limit int) (int64, error) {
	return tx.deleteBatch(ctx, emailVerifications.name, "token_hash", limit)
}
