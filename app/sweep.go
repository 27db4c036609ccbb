package app

import (
	"context"
	"fmt"

	"optare/store"
)

// sweepBatch bounds each delete so the single writer is never held long.
const sweepBatch = 500

// Sweep removes expired rows in small batches until none are left: web
// sessions, authorization codes, refresh tokens (used ones too, kept until
// their own expiry so reuse stays detectable), revoked access token ids,
// grants with nothing left, and retired keys no longer published. Serve
// calls it every minute, so the database does not grow without bound.
func (s *Service) Sweep(ctx context.Context) error {
	steps := []struct {
		name string
		fn   func(*store.Tx) (int64, error)
	}{
		{"sessions", func(tx *store.Tx) (int64, error) { return tx.DeleteExpiredSessions(ctx, sweepBatch) }},
		{"codes", func(tx *store.Tx) (int64, error) { return tx.DeleteExpiredCodes(ctx, sweepBatch) }},
		{"tokens", func(tx *store.Tx) (int64, error) { return tx.DeleteExpiredTokens(ctx, sweepBatch) }},
		{"keys", func(tx *store.Tx) (int64, error) { return tx.DeleteUnpublishedKeys(ctx) }},
	}
	for _, step := range steps {
		for {
			var n int64
			err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
				n, err = step.fn(tx)
				return err
			})
			if err != nil {
				return fmt.Errorf("sweep %s: %w", step.name, err)
			}
			if n < sweepBatch {
				break
			}
		}
	}
	return nil
}
