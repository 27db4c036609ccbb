package app

import (
	"context"
	"crypto/sha256"
	"time"

	"optare/store"
)

// hotCaches are the caches of the hot paths (see memo): a request that
// finds what it needs here makes no database round trip.
type hotCaches struct {
	clients  *memo[string, store.Client]
	apiKeys  *memo[string, store.APIKey]
	licenses *memo[licenseKey, store.LicenseFacts]
	// tokens holds verified access tokens by the SHA-256 of the token,
	// until the token expires: the whole verified result, so everything
	// verification derived from the token comes along.
	tokens   *memo[[sha256.Size]byte, AccessTokenInfo]
	userinfo *memo[string, userFacts]
}

type licenseKey struct{ userID, product string }

// userFacts is what userinfo reads about a user: the row and the products
// the user can use now.
type userFacts struct {
	user     store.User
	products []ProductAccess
}

func newHotCaches() hotCaches {
	return hotCaches{
		clients:  newMemo[string, store.Client](defaultMemoSize),
		apiKeys:  newMemo[string, store.APIKey](defaultMemoSize),
		licenses: newMemo[licenseKey, store.LicenseFacts](defaultMemoSize),
		tokens:   newMemo[[sha256.Size]byte, AccessTokenInfo](defaultMemoSize),
		userinfo: newMemo[string, userFacts](defaultMemoSize),
	}
}

// clientByID reads an OAuth client, from the cache when it holds it.
func (s *Service) clientByID(ctx context.Context, id string) (store.Client, error) {
	ep := s.db.CacheEpoch()
	if c, ok := s.cache.clients.get(ep, id, time.Time{}); ok {
		return c, nil
	}
	var c store.Client
	err := s.db.ReadOne(ctx, func(tx *store.Tx) (err error) {
		c, err = tx.Client(ctx, id)
		return err
	})
	if err == nil {
		s.cache.clients.put(ep, id, c, time.Time{})
	}
	return c, err
}

// apiKeyByID reads an API key, from the cache when it holds it.
func (s *Service) apiKeyByID(ctx context.Context, id string) (store.APIKey, error) {
	ep := s.db.CacheEpoch()
	if k, ok := s.cache.apiKeys.get(ep, id, time.Time{}); ok {
		return k, nil
	}
	k, err := s.db.APIKeyByID(ctx, id)
	if err == nil {
		s.cache.apiKeys.put(ep, id, k, time.Time{})
	}
	return k, err
}

// licenseFacts reads the facts of a licence check, from the cache when it
// holds them, and the time to judge them at.
func (s *Service) licenseFacts(ctx context.Context, userID, product string) (store.LicenseFacts, time.Time, error) {
	ep, k := s.db.CacheEpoch(), licenseKey{userID, product}
	if f, ok := s.cache.licenses.get(ep, k, time.Time{}); ok {
		return f, s.now().UTC(), nil
	}
	f, now, err := s.db.LicenseFacts(ctx, userID, product)
	if err == nil {
		s.cache.licenses.put(ep, k, f, time.Time{})
	}
	return f, now, err
}

// userFacts reads what userinfo needs about a user, from the cache when it
// holds it. The products stay cached until the first of their
// subscriptions ends.
func (s *Service) userFacts(ctx context.Context, userID string) (userFacts, error) {
	ep := s.db.CacheEpoch()
	if f, ok := s.cache.userinfo.get(ep, userID, s.now()); ok {
		return f, nil
	}
	var f userFacts
	var until time.Time
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, userID)
		if err != nil {
			return err
		}
		rows, err := tx.AccessOfUser(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if !r.EndDate.IsZero() && (until.IsZero() || r.EndDate.Before(until)) {
				until = r.EndDate
			}
		}
		f.user = u
		f.products, err = productsFromAccess(rows)
		return err
	})
	if err == nil {
		s.cache.userinfo.put(ep, userID, f, until)
	}
	return f, err
}
