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
	return tx.insertLink(ctx, passwordLinks, oneTimeLink{TokenHash: l.TokenHash, UserID: l.UserID, Detail: l.Purpose,
		CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt})
}

// PasswordLink finds an unexpired link by token hash.
func (tx *Tx) PasswordLink(ctx context.Context, hash string) (PasswordLink, error) {
	l, err := tx.link(ctx, passwordLinks, hash)
	return PasswordLink{TokenHash: l.TokenHash, UserID: l.UserID, Purpose: l.Detail, CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt}, err
}

// DeletePasswordLinks removes every link of a user: a used link, and any
// older one, stops working.
func (tx *Tx) DeletePasswordLinks(ctx context.Context, userID string) error {
	return tx.deleteLinks(ctx, passwordLinks, userID)
}

// DeleteExpiredPasswordLinks removes up to limit expired links.
func (tx *Tx) DeleteExpiredPasswordLinks(ctx context.Context, limit int) (int64, error) {
	return tx.deleteBatch(ctx, passwordLinks.name, "token_hash", limit)
}
