package store

import (
	"context"
	"time"
)

// RecordJTI remembers a JWT id until expires and reports whether it was
// new: false means it was seen before, a replay. One statement, so two
// servers racing on the same jti cannot both see it as new.
func (tx *Tx) RecordJTI(ctx context.Context, key string, expires time.Time) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO oauth_seen_jtis (jti_key, expires_at) VALUES (?, ?)
		ON CONFLICT (jti_key) DO NOTHING`, key, formatTime(expires))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteExpiredJTIs removes up to limit JWT ids past their expiry.
func (tx *Tx) DeleteExpiredJTIs(ctx context.Context, limit int) (int64, error) {
	return tx.deleteBatch(ctx, "oauth_seen_jtis", "jti_key", limit)
}
