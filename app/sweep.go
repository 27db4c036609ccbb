package app

import (
	"context"
	"fmt"

	"optare/store"
)

// sweepBatch bounds each delete so the single writer is never held long.
const sweepBatch = 500

// Sweep removes expired rows (web sessions now; codes and tokens as they
// arrive) in small batches until none are left. Serve calls it periodically.
func (s *Service) Sweep(ctx context.Context) error {
	for {
		var n int64
		err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
			n, err = tx.DeleteExpiredSessions(ctx, sweepBatch)
			if err != nil {
				return err
			}
			m, err := tx.DeleteUserSessionsBefore(ctx, tx.Now.Add(-SessionLifetime), sweepBatch)
			if err != nil {
				return err
			}
			l, err := tx.DeleteExpiredPasswordLinks(ctx, sweepBatch)
			n = max(n, m, l)
			return err
		})
		if err != nil {
			return fmt.Errorf("sweep sessions: %w", err)
		}
		if n < sweepBatch {
			return nil
		}
	}
}
