package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"optare/app/oidc"
	"optare/store"
)

// KeyRotation reports what RotateKeys did.
type KeyRotation struct {
	// Published lists keys created in state next: they sign after
	// KeyPublishBeforeUse, on the following rotation.
	Published []SigningKey `json:"published,omitempty"`
	// Activated lists next keys that now sign; Retired the keys they
	// replaced, still published until PublishUntil.
	Activated []SigningKey `json:"activated,omitempty"`
	Retired   []SigningKey `json:"retired,omitempty"`
}

// RotateKeys moves every signing algorithm one step through the key states
// (SPEC §5), so no rotation breaks a token or a cached JWKS:
//
//   - without a next key, it creates one: published at once, not signing;
//   - with a next key published at least KeyPublishBeforeUse ago, the next
//     key becomes active and the active key retired, published until every
//     token it signed has expired (RetiredKeyPublish).
//
// A next key younger than that is refused with a conflict that says when
// it may sign. All algorithms move together or none does. Operator admins
// (and the CLI) only. The server picks the change up within seconds, also
// when the CLI made it.
func (s *Service) RotateKeys(ctx context.Context, a Actor) (KeyRotation, error) {
	if !a.IsOperatorAdmin() {
		return KeyRotation{}, errForbidden("")
	}
	fresh := map[string]store.SigningKey{} // generated outside the writer
	for _, alg := range s.signingAlgs() {
		row, err := newKeyRow(alg, store.KeyNext)
		if err != nil {
			return KeyRotation{}, errInternal("%w", err)
		}
		fresh[alg] = row
	}
	var out KeyRotation
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		out = KeyRotation{}
		rows, err := tx.SigningKeys(ctx)
		if err != nil {
			return errInternal("read signing keys: %w", err)
		}
		for _, alg := range s.algsWithKeys(rows) {
			if err := s.rotateAlg(ctx, tx, a, rows, alg, fresh[alg], &out); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return KeyRotation{}, err
	}
	s.keys.invalidate()
	return out, nil
}

// algsWithKeys lists the configured algorithms plus any other that has keys.
func (s *Service) algsWithKeys(rows []store.SigningKey) []string {
	algs := slices.Clone(s.signingAlgs())
	for _, r := range rows {
		if !slices.Contains(algs, r.Alg) {
			algs = append(algs, r.Alg)
		}
	}
	return algs
}

func (s *Service) rotateAlg(ctx context.Context, tx *store.Tx, a Actor, rows []store.SigningKey, alg string, fresh store.SigningKey, out *KeyRotation) error {
	var next, active *store.SigningKey
	for i := range rows {
		switch {
		case rows[i].Alg != alg:
		case rows[i].State == store.KeyNext:
			next = &rows[i]
		case rows[i].State == store.KeyActive:
			active = &rows[i]
		}
	}
	if next == nil {
		if fresh.ID == "" {
			row, err := newKeyRow(alg, store.KeyNext)
			if err != nil {
				return errInternal("%w", err)
			}
			fresh = row
		}
		fresh.CreatedAt = tx.Now
		if err := tx.InsertSigningKey(ctx, fresh); err != nil {
			return errInternal("insert next key: %w", err)
		}
		out.Published = append(out.Published, keyFromRow(fresh))
		return s.audit(ctx, tx, a, AuditRecord{Action: "key.published", TargetType: "signing_key", TargetID: fresh.ID,
			Details: map[string]any{"alg": alg, "state": store.KeyNext, "signs_from": tx.Now.Add(KeyPublishBeforeUse)}})
	}
	if ready := next.CreatedAt.Add(KeyPublishBeforeUse); tx.Now.Before(ready) {
		return errConflict("key_not_ready", fmt.Sprintf(
			"The next %s key %s was published at %s; it may sign from %s, once every cached key set holds it. Run the rotation again then.",
			alg, next.ID, next.CreatedAt.Format("15:04:05 MST"), ready.Format("2006-01-02 15:04:05 MST")))
	}
	if active != nil {
		active.State, active.RetiredAt, active.PublishUntil = store.KeyRetired, tx.Now, tx.Now.Add(retiredPublish(alg))
		if err := tx.UpdateSigningKey(ctx, *active); err != nil {
			return errInternal("retire key: %w", err)
		}
		out.Retired = append(out.Retired, keyFromRow(*active))
	}
	next.State, next.ActivatedAt = store.KeyActive, tx.Now
	if err := tx.UpdateSigningKey(ctx, *next); err != nil {
		return errInternal("activate key: %w", err)
	}
	out.Activated = append(out.Activated, keyFromRow(*next))
	details := map[string]any{"alg": alg}
	if active != nil {
		details["retired"], details["retired_published_until"] = active.ID, active.PublishUntil
	}
	return s.audit(ctx, tx, a, AuditRecord{Action: "key.rotated", TargetType: "signing_key", TargetID: next.ID, Details: details})
}

// ListKeys lists the published signing keys, oldest first. Operator admins only.
func (s *Service) ListKeys(ctx context.Context, a Actor) ([]SigningKey, error) {
	if !a.IsOperatorAdmin() {
		return nil, errForbidden("")
	}
	if _, err := s.keyring(ctx); err != nil { // creates the first keys if needed
		return nil, errInternal("load keys: %w", err)
	}
	var out []SigningKey
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.SigningKeys(ctx)
		for _, r := range rows {
			out = append(out, keyFromRow(r))
		}
		return err
	})
	if err != nil {
		return nil, errInternal("list keys: %w", err)
	}
	return out, nil
}

func keyFromRow(r store.SigningKey) SigningKey {
	return SigningKey{ID: r.ID, Alg: r.Alg, State: r.State, CreatedAt: r.CreatedAt, ActivatedAt: r.ActivatedAt,
		RetiredAt: r.RetiredAt, PublishUntil: r.PublishUntil}
}

// retiredPublish is how long a retired key of alg stays published: until
// every token it signed has expired. Licence tokens (EdDSA) live up to the
// longest check-in interval plus the longest grace period.
func retiredPublish(alg string) time.Duration {
	if alg == oidc.AlgEdDSA {
		return LicenseKeyRetiredPublish
	}
	return RetiredKeyPublish
}
