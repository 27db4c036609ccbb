package app

import (
	"context"
	"strings"

	"optare/app/oidc"
	"optare/store"
)

// Discovery returns the provider metadata (OpenID Connect Discovery,
// RFC 8414): the standard scopes plus every product slug as scopes, and
// RS256 as the ID token algorithm, which is what ID tokens are signed with.
func (s *Service) Discovery(ctx context.Context) (oidc.Discovery, error) {
	scopes := []string{oidc.ScopeOpenID, oidc.ScopeEmail, oidc.ScopeProfile, oidc.ScopeOfflineAccess}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		products, err := tx.ProductScopes(ctx)
		scopes = append(scopes, products...)
		return err
	})
	if err != nil {
		return oidc.Discovery{}, errInternal("read product scopes: %w", err)
	}
	return oidc.NewDiscovery(s.Issuer(), scopes, []string{oidc.AlgRS256}), nil
}

// OriginAllowed reports whether an enabled client lists origin among its
// allowed origins: the CORS check of the token, userinfo and revocation
// endpoints, whose preflight requests name no client.
func (s *Service) OriginAllowed(ctx context.Context, origin string) (bool, error) {
	var ok bool
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		ok, err = tx.OriginAllowed(ctx, origin)
		return err
	})
	if err != nil {
		return false, errInternal("read origins: %w", err)
	}
	return ok, nil
}

// SetIssuer sets the OpenID issuer URL (no trailing slash) that tokens
// carry and that VerifyAccessToken expects. The wiring calls it once before
// serving.
func (s *Service) SetIssuer(issuer string) {
	issuer = strings.TrimSuffix(issuer, "/")
	s.issuer.Store(&issuer)
}

// Issuer is the OpenID issuer URL.
func (s *Service) Issuer() string {
	if p := s.issuer.Load(); p != nil {
		return *p
	}
	return ""
}

// AccessAlg is the algorithm access tokens are signed with.
func (s *Service) AccessAlg() string { return s.accessAlg }
