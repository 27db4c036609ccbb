package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"optare/app/oidc"
	"optare/store"
)

// Key rotation timing (SPEC §5). A next key is published KeyPublishBeforeUse
// before it may sign, three times the JWKS cache lifetime, so every client's
// cached key set holds it first; a retired key stays published
// RetiredKeyPublish, longer than any token it signed lives.
const (
	JWKSMaxAge          = 5 * time.Minute
	KeyPublishBeforeUse = 15 * time.Minute
	RetiredKeyPublish   = max(AccessTokenLifetime, IDTokenLifetime) + JWKSMaxAge
)

// SigningKey describes a signing key without its private part.
type SigningKey struct {
	ID           string    `json:"kid"`
	Alg          string    `json:"alg"`
	State        string    `json:"state"`
	CreatedAt    time.Time `json:"created_at"`
	ActivatedAt  time.Time `json:"activated_at,omitzero"`
	RetiredAt    time.Time `json:"retired_at,omitzero"`
	PublishUntil time.Time `json:"publish_until,omitzero"`
}

// keyring is the parsed, published keys at one version of the keys table.
// It is immutable; a rotation builds a new one.
type keyring struct {
	version string
	// epoch is the database's cache epoch when version was read: the
	// keyring is current while the epoch has not moved (a rotation, by
	// this process, the CLI or another replica, moves it).
	epoch uint64
	// idTokens signs with the active RS256 key: OpenID Connect's default
	// algorithm, which every relying party accepts.
	idTokens *oidc.KeySet
	// access signs access tokens with the active key of the configured
	// algorithm (RS256 unless ES256 was chosen).
	access *oidc.KeySet
	// licenses signs licence tokens with the active EdDSA key.
	licenses *oidc.KeySet
	// expires is the earliest publish_until of a retired key: the published
	// set changes then even though the table does not.
	expires time.Time
}

// keyCache holds the current keyring for the whole process and reloads it
// when the keys table changes, whoever changed it.
type keyCache struct {
	mu  sync.Mutex // serialises reloads
	cur atomic.Pointer[keyring]
}

// invalidate makes the next use reload the keys.
func (c *keyCache) invalidate() { c.cur.Store(nil) }

// confirm makes the keyring current in epoch ep when a read made in ep
// (see memo: ep was read before the read) found the keys at its version:
// what keyring would do with a read of its own.
func (c *keyCache) confirm(ep uint64, version string) {
	cur := c.cur.Load()
	if cur == nil || cur.version != version || cur.epoch >= ep {
		return
	}
	same := *cur
	same.epoch = ep
	c.cur.CompareAndSwap(cur, &same)
}

// last is the keyring of the last epoch that had one, current or not,
// unless a retired key of it stopped being published at now: a token check
// verifies the signature with it before its one read, which tells whether
// its version is still the table's (hotRead confirms it).
func (c *keyCache) last(now time.Time) *keyring {
	kr := c.cur.Load()
	if kr == nil || (!kr.expires.IsZero() && !now.Before(kr.expires)) {
		return nil
	}
	return kr
}

// signingAlgs are the algorithms that must have an active key: RS256, the
// access-token algorithm, and EdDSA for licence tokens.
func (s *Service) signingAlgs() []string {
	if s.accessAlg == oidc.AlgRS256 {
		return []string{oidc.AlgRS256, oidc.AlgEdDSA}
	}
	return []string{oidc.AlgRS256, s.accessAlg, oidc.AlgEdDSA}
}

// keyring returns the current keys, reloading them when another process
// rotated them or a retired key stopped being published, and creating the
// first keys when there are none.
func (s *Service) keyring(ctx context.Context) (*keyring, error) {
	ep := s.db.CacheEpoch()
	cur := s.keys.cur.Load()
	if cur != nil && cur.epoch == ep && (cur.expires.IsZero() || s.now().Before(cur.expires)) {
		return cur, nil
	}
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if c := s.keys.cur.Load(); c != cur && c != nil && c.epoch == ep {
		return c, nil // another request reloaded while this one waited
	}
	var version string
	err := s.db.ReadOne(ctx, func(tx *store.Tx) (err error) { // one statement: no transaction
		version, err = tx.SigningKeysVersion(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read keys version: %w", err)
	}
	if cur != nil && cur.version == version && (cur.expires.IsZero() || s.now().Before(cur.expires)) {
		same := *cur // unchanged keys: the same keyring, current in this epoch
		same.epoch = ep
		s.keys.cur.Store(&same)
		return &same, nil
	}
	kr, err := s.loadKeyring(ctx)
	if err != nil {
		return nil, err
	}
	kr.epoch = ep
	s.keys.cur.Store(kr)
	return kr, nil
}

// loadKeyring reads the published keys and builds the key sets, creating
// an active key for any signing algorithm that has none.
func (s *Service) loadKeyring(ctx context.Context) (*keyring, error) {
	for attempt := 0; ; attempt++ {
		var rows []store.SigningKey
		var version string
		err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
			if version, err = tx.SigningKeysVersion(ctx); err != nil {
				return err
			}
			rows, err = tx.SigningKeys(ctx)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("read signing keys: %w", err)
		}
		missing := slices.DeleteFunc(slices.Clone(s.signingAlgs()), func(alg string) bool {
			return slices.ContainsFunc(rows, func(k store.SigningKey) bool { return k.Alg == alg && k.State == store.KeyActive })
		})
		if len(missing) == 0 {
			return buildKeyring(version, rows, s.accessAlg)
		}
		if attempt > 0 {
			return nil, fmt.Errorf("no active %s signing key after creating one", missing[0])
		}
		if err := s.EnsureSigningKeys(ctx); err != nil {
			return nil, err
		}
	}
}

func buildKeyring(version string, rows []store.SigningKey, accessAlg string) (*keyring, error) {
	kr := &keyring{version: version}
	var published []oidc.Key
	active := map[string]oidc.Key{}
	for _, r := range rows {
		k, err := oidc.ParsePrivate(r.ID, r.Alg, r.PrivateKey)
		if err != nil {
			return nil, fmt.Errorf("signing key %s: %w", r.ID, err)
		}
		published = append(published, k)
		if r.State == store.KeyActive {
			active[r.Alg] = k
		}
		if r.State == store.KeyRetired && (kr.expires.IsZero() || r.PublishUntil.Before(kr.expires)) {
			kr.expires = r.PublishUntil
		}
	}
	var err error
	if kr.idTokens, err = oidc.NewKeySet(active[oidc.AlgRS256], published); err != nil {
		return nil, err
	}
	if kr.licenses, err = oidc.NewKeySet(active[oidc.AlgEdDSA], published); err != nil {
		return nil, err
	}
	kr.access = kr.idTokens
	if accessAlg != oidc.AlgRS256 {
		if kr.access, err = oidc.NewKeySet(active[accessAlg], published); err != nil {
			return nil, err
		}
	}
	return kr, nil
}

// EnsureSigningKeys creates an active key for each signing algorithm that
// has none: RS256 always, and the access-token algorithm when it is ES256.
// Serve calls it at start; it is safe against a concurrent caller.
func (s *Service) EnsureSigningKeys(ctx context.Context) error {
	for _, alg := range s.signingAlgs() {
		var exists bool
		err := s.db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.SigningKeys(ctx)
			exists = slices.ContainsFunc(rows, func(k store.SigningKey) bool { return k.Alg == alg && k.State == store.KeyActive })
			return err
		})
		if err != nil {
			return errInternal("read signing keys: %w", err)
		}
		if exists {
			continue
		}
		row, err := newKeyRow(alg, store.KeyActive)
		if err != nil {
			return errInternal("%w", err)
		}
		err = s.db.Write(ctx, func(tx *store.Tx) error {
			row.CreatedAt, row.ActivatedAt = tx.Now, tx.Now
			if err := tx.InsertSigningKey(ctx, row); err != nil {
				return err
			}
			return s.audit(ctx, tx, System(), AuditRecord{Action: "key.created", TargetType: "signing_key",
				TargetID: row.ID, Details: map[string]any{"alg": alg, "state": store.KeyActive}})
		})
		if err != nil && !errors.Is(err, store.ErrConflict) { // conflict: another process won
			return errInternal("create signing key: %w", err)
		}
	}
	s.keys.invalidate()
	return nil
}

// newKeyRow generates a key for alg and returns it as a row in state.
func newKeyRow(alg, state string) (store.SigningKey, error) {
	k, err := oidc.GenerateKey(alg)
	if err != nil {
		return store.SigningKey{}, err
	}
	pem, err := oidc.MarshalPrivate(k)
	if err != nil {
		return store.SigningKey{}, err
	}
	return store.SigningKey{ID: k.ID, Alg: alg, State: state, PrivateKey: pem}, nil
}

// JWKS returns the published public keys as served at /.well-known/jwks.json.
func (s *Service) JWKS(ctx context.Context) ([]byte, error) {
	kr, err := s.keyring(ctx)
	if err != nil {
		return nil, errInternal("load keys: %w", err)
	}
	return kr.idTokens.JWKS()
}
