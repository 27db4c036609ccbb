package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"optare/app/oidc"
	"optare/store"
)

// jwks_uri fetching limits: a client's key set is small and its server
// must answer fast, since a token request waits for it.
const (
	jwksFetchTimeout = 5 * time.Second
	jwksCacheFor     = 5 * time.Minute
	jwksMaxBytes     = 64 << 10
)

// jwksCache fetches clients' jwks_uri documents and keeps each for
// jwksCacheFor, so a busy client costs one fetch per five minutes.
type jwksCache struct {
	mu      sync.Mutex
	client  *http.Client
	entries map[string]jwksEntry
}

type jwksEntry struct {
	keys    jose.JSONWebKeySet
	fetched time.Time
}

func newJWKSCache() *jwksCache {
	return &jwksCache{client: &http.Client{Timeout: jwksFetchTimeout,
		// A key set is served where it is registered; no redirects.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		entries: map[string]jwksEntry{}}
}

func (c *jwksCache) get(ctx context.Context, uri string, now time.Time) (jose.JSONWebKeySet, error) {
	c.mu.Lock()
	e, ok := c.entries[uri]
	c.mu.Unlock()
	if ok && now.Sub(e.fetched) < jwksCacheFor && now.Sub(e.fetched) >= 0 {
		return e.keys, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("jwks_uri: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	res, err := c.client.Do(req)
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("fetch jwks_uri: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return jose.JSONWebKeySet{}, fmt.Errorf("fetch jwks_uri: status %d", res.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, jwksMaxBytes+1))
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("read jwks_uri: %w", err)
	}
	keys, err := oidc.ParseJWKS(body)
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("jwks_uri: %w", err)
	}
	c.mu.Lock()
	c.entries[uri] = jwksEntry{keys: keys, fetched: now}
	c.mu.Unlock()
	return keys, nil
}

// assertionAudiences are the aud values a client assertion may carry: the
// issuer, or the URL of an endpoint that authenticates clients.
func (s *Service) assertionAudiences() []string {
	iss := s.Issuer()
	return []string{iss, iss + oidc.PathToken, iss + oidc.PathPAR, iss + oidc.PathIntrospect, iss + oidc.PathRevoke,
		iss + oidc.PathDeviceAuthorization}
}

// verifyAssertion checks a private_key_jwt client's assertion against its
// registered keys and uses up its jti, in the database so that a replay is
// refused by every server. It returns the refusal reason for the audit log.
func (s *Service) verifyAssertion(ctx context.Context, c store.Client, assertion string) (string, error) {
	var keys jose.JSONWebKeySet
	var err error
	if c.JWKSURI != "" {
		keys, err = s.jwks.get(ctx, c.JWKSURI, s.now())
	} else {
		keys, err = oidc.ParseJWKS([]byte(c.JWKS))
	}
	if err != nil {
		return "client_keys_unavailable", err
	}
	a, err := oidc.VerifyClientAssertion(assertion, keys, c.ID, s.assertionAudiences(), s.now())
	if err != nil {
		return "bad_assertion", err
	}
	var fresh bool
	err = s.db.Write(ctx, func(tx *store.Tx) (err error) {
		fresh, err = tx.RecordJTI(ctx, oidc.HashSecret("assertion\x00"+c.ID+"\x00"+a.JTI), a.ExpiresAt.Add(time.Minute))
		return err
	})
	if err != nil {
		return "", errInternal("record assertion jti: %w", err)
	}
	if !fresh {
		return "assertion_replayed", errors.New("client assertion jti already used")
	}
	return "", nil
}
