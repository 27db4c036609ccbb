package app

import (
	"context"
	"crypto/sha256"
	"strings"
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

// Prefetch names what a request reads once its credential is verified (the
// token's user for userinfo, a licence), so that when the caches miss the
// credential, one database read brings both: a cold request makes one
// round trip, not one per cache. A door sets it on AccessRequest; the zero
// value prefetches nothing.
type Prefetch struct {
	userInfo bool
	license  LicenseQuery
	// client is the client authenticating beside a token (introspection).
	client string
}

// PrefetchUserInfo is the prefetch of userinfo: the token's user and the
// products they can use.
func PrefetchUserInfo() Prefetch { return Prefetch{userInfo: true} }

// PrefetchLicense is the prefetch of a licence check of q; an empty
// UserID is the token's user, as in CheckLicense.
func PrefetchLicense(q LicenseQuery) Prefetch {
	return Prefetch{license: LicenseQuery{Product: strings.TrimSpace(q.Product), UserID: strings.TrimSpace(q.UserID)}}
}

// hotQuery adds to q what p names and the caches do not hold in epoch ep;
// userID is the credential's user ("" for an API key or a client).
func (s *Service) hotQuery(q store.HotQuery, ep uint64, p Prefetch, userID string) store.HotQuery {
	if p.client != "" {
		if _, ok := s.cache.clients.get(ep, p.client, time.Time{}); !ok {
			q.ClientID = p.client
		}
	}
	if p.userInfo && userID != "" {
		if _, ok := s.cache.userinfo.get(ep, userID, s.now()); !ok {
			q.UserInfoOf = userID
		}
	}
	if lq := p.license; lq.Product != "" {
		if lq.UserID == "" {
			lq.UserID = userID
		}
		if _, ok := s.cache.licenses.get(ep, licenseKey{lq.UserID, lq.Product}, time.Time{}); lq.UserID != "" && !ok {
			q.License = &store.LicenseRef{UserID: lq.UserID, Product: lq.Product}
		}
	}
	return q
}

// hotFacts is what one hot read found, with the userinfo facts derived
// from it.
type hotFacts struct {
	store.HotFacts
	userInfo userFacts
}

// hotRead reads what q names in one statement (store.DB.HotRead) and puts
// everything found in the caches under ep, the epoch the caller read
// before deciding what to read (see memo): the request that made the read
// and the ones after it then find it there. The keyring of the version
// read becomes current in ep.
func (s *Service) hotRead(ctx context.Context, ep uint64, q store.HotQuery) (hotFacts, error) {
	f, err := s.db.HotRead(ctx, q)
	if err != nil {
		return hotFacts{HotFacts: f}, err
	}
	s.keys.confirm(ep, f.KeysVersion)
	out := hotFacts{HotFacts: f}
	if f.ClientFound {
		s.cache.clients.put(ep, q.ClientID, f.Client, time.Time{})
	}
	if f.APIKeyFound {
		s.cache.apiKeys.put(ep, q.APIKeyID, f.APIKey, time.Time{})
	}
	if f.LicenseFound {
		s.cache.licenses.put(ep, licenseKey{q.License.UserID, q.License.Product}, f.License, time.Time{})
	}
	if f.UserFound {
		var until time.Time
		if out.userInfo, until, err = userFactsFrom(f.User, f.Access); err != nil {
			return out, err
		}
		s.cache.userinfo.put(ep, q.UserInfoOf, out.userInfo, until)
	}
	return out, nil
}

// clientByID reads an OAuth client, from the cache when it holds it.
func (s *Service) clientByID(ctx context.Context, id string) (store.Client, error) {
	ep := s.db.CacheEpoch()
	if c, ok := s.cache.clients.get(ep, id, time.Time{}); ok {
		return c, nil
	}
	f, err := s.hotRead(ctx, ep, store.HotQuery{ClientID: id})
	if err == nil && !f.ClientFound {
		err = store.ErrNotFound
	}
	return f.Client, err
}

// apiKeyByID reads an API key, from the cache when it holds it, and on a
// miss what p names with it.
func (s *Service) apiKeyByID(ctx context.Context, id string, p Prefetch) (store.APIKey, error) {
	ep := s.db.CacheEpoch()
	if k, ok := s.cache.apiKeys.get(ep, id, time.Time{}); ok {
		return k, nil
	}
	f, err := s.hotRead(ctx, ep, s.hotQuery(store.HotQuery{APIKeyID: id}, ep, p, ""))
	if err == nil && !f.APIKeyFound {
		err = store.ErrNotFound
	}
	return f.APIKey, err
}

// licenseFacts reads the facts of a licence check, from the cache when it
// holds them, and the time to judge them at.
func (s *Service) licenseFacts(ctx context.Context, userID, product string) (store.LicenseFacts, time.Time, error) {
	ep, k := s.db.CacheEpoch(), licenseKey{userID, product}
	if f, ok := s.cache.licenses.get(ep, k, time.Time{}); ok {
		return f, s.now().UTC(), nil
	}
	f, err := s.hotRead(ctx, ep, store.HotQuery{License: &store.LicenseRef{UserID: userID, Product: product}})
	if err == nil && !f.LicenseFound {
		err = store.ErrNotFound
	}
	return f.License, f.Now, err
}

// userFacts reads what userinfo needs about a user, from the cache when it
// holds it.
func (s *Service) userFacts(ctx context.Context, userID string) (userFacts, error) {
	ep := s.db.CacheEpoch()
	if f, ok := s.cache.userinfo.get(ep, userID, s.now()); ok {
		return f, nil
	}
	f, err := s.hotRead(ctx, ep, store.HotQuery{UserInfoOf: userID})
	if err == nil && !f.UserFound {
		err = store.ErrNotFound
	}
	return f.userInfo, err
}

// cachedUserFacts is what the userinfo cache holds about a user, without
// a read when it holds nothing.
func (s *Service) cachedUserFacts(userID string) (userFacts, bool) {
	return s.cache.userinfo.get(s.db.CacheEpoch(), userID, s.now())
}

// userFactsFrom builds userinfo's facts from the user and their access
// rows, and the time they hold until: the first end of one of the
// subscriptions (zero: no end).
func userFactsFrom(u store.User, rows []store.Access) (userFacts, time.Time, error) {
	var until time.Time
	for _, r := range rows {
		if !r.EndDate.IsZero() && (until.IsZero() || r.EndDate.Before(until)) {
			until = r.EndDate
		}
	}
	products, err := productsFromAccess(rows)
	return userFacts{user: u, products: products}, until, err
}
