package app

import (
	"context"
	"fmt"
	"time"

	"optare/store"
)

// sweepBatch bounds each delete so the single writer is never held long.
const sweepBatch = 500

// expiryBatch bounds each expiry transaction (each expiry writes a row and
// an audit entry).
const expiryBatch = 100

// Sweep does the periodic housekeeping in small batches until nothing is
// left: expired web sessions and their browser-session rows, password
// links, authorization codes, refresh tokens and revoked token ids, retired
// keys no longer published, idempotency records past their lifetime,
// machine leases past their expiry (license.lease_expired), and
// live subscriptions past their end date, which it records as expired
// (subscription.expired, by the system actor), and audit entries past the
// operator's retention (audit.pruned). Serve calls it every minute.
func (s *Service) Sweep(ctx context.Context) error {
	if err := s.sweepLoop(ctx, "sessions", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteExpiredSessions(ctx, sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "browser sessions", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteUserSessionsBefore(ctx, tx.Now.Add(-SessionLifetime), sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "password links", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteExpiredPasswordLinks(ctx, sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "authorization codes", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteExpiredCodes(ctx, sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "device codes", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteExpiredDeviceCodes(ctx, sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "pushed requests", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteExpiredPushedRequests(ctx, sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "seen jtis", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteExpiredJTIs(ctx, sweepBatch)
	}); err != nil {
		return err
	}
	// Used refresh tokens stay until their own expiry so that reuse is still
	// detected; grants with nothing left go with them.
	if err := s.sweepLoop(ctx, "tokens", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteExpiredTokens(ctx, sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "email verifications", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteExpiredEmailVerifications(ctx, sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "passkey challenges", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteExpiredWebAuthnChallenges(ctx, sweepBatch)
	}); err != nil {
		return err
	}
	// How a grant's sign-in was made outlives an unredeemed code by an hour.
	if err := s.sweepLoop(ctx, "grant auth methods", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteOrphanAuthMethods(ctx, tx.Now.Add(-time.Hour), sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "retired keys", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteUnpublishedKeys(ctx)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "rate-limit windows", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteExpiredRateWindows(ctx, sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "idempotency keys", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteIdempotencyBefore(ctx, tx.Now.Add(-IdempotencyLifetime), sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.snapshotSeats(ctx); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "usage", sweepBatch, func(tx *store.Tx) (int64, error) {
		return tx.DeleteUsageBefore(ctx, tx.Now.Add(-s.usageRetention), sweepBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "leases", expiryBatch, func(tx *store.Tx) (int64, error) {
		return s.sweepLeases(ctx, tx, expiryBatch)
	}); err != nil {
		return err
	}
	if err := s.sweepLoop(ctx, "subscriptions", expiryBatch, func(tx *store.Tx) (int64, error) {
		n, err := s.expireBatch(ctx, tx, "", "", expiryBatch)
		return int64(n), err
	}); err != nil {
		return err
	}
	return s.pruneAudit(ctx)
}

// pruneAudit applies the operator's audit retention: entries older than it
// go, and the deletion itself is an audit entry (audit.pruned) in the same
// transaction. Without a retention nothing is ever deleted.
func (s *Service) pruneAudit(ctx context.Context) error {
	if s.auditRetention <= 0 {
		return nil
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		cutoff := tx.Now.Add(-s.auditRetention)
		n, err := tx.PruneAudit(ctx, cutoff)
		if err != nil || n == 0 {
			return err
		}
		return s.audit(ctx, tx, System(), AuditRecord{Action: "audit.pruned", TargetType: "audit_log",
			Details: map[string]any{"deleted": n, "before": cutoff, "retention_hours": int64(s.auditRetention.Hours())}})
	})
	if err != nil {
		return fmt.Errorf("sweep audit log: %w", err)
	}
	return nil
}

// sweepLoop runs step in its own write transaction until a step handles
// fewer than batch rows.
func (s *Service) sweepLoop(ctx context.Context, what string, batch int64, step func(*store.Tx) (int64, error)) error {
	for {
		var n int64
		err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
			n, err = step(tx)
			return err
		})
		if err != nil {
			return fmt.Errorf("sweep %s: %w", what, err)
		}
		if n < batch {
			return nil
		}
	}
}
