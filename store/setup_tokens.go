package store

import (
	"context"
	"time"
)

// InsertSetupToken records the hash of a one-time setup link.
func (tx *Tx) InsertSetupToken(ctx context.Context, hash string, expires time.Time) error {
	_, err := tx.exec(ctx, "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)", hash, formatTime(tx.Now), formatTime(expires))
	return err
}

// SetupTokenValid reports whether an unexpired setup token with this hash exists.
func (tx *Tx) SetupTokenValid(ctx context.Context, hash string) (bool, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM setup_tokens WHERE token_hash = ? AND expires_at > ?", hash, formatTime(tx.Now)).Scan(&n)
	return n > 0, err
}

// DeleteSetupTokens removes every setup token: setup happens once.
func (tx *Tx) DeleteSetupTokens(ctx context.Context) error {
	_, err := tx.exec(ctx, "DELETE FROM setup_tokens")
	return err
}
