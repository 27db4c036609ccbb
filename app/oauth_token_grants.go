package app

import (
	"context"
	"errors"
	"slices"
	"strings"

	"optare/app/oidc"
	"optare/store"
)

// prefixRefreshToken starts every refresh token.
const prefixRefreshToken = "rt_"

// redeemCode exchanges an authorization code (RFC 6749 §4.1.3, RFC 7636
// §4.6). A code presented twice fails and revokes every token issued from
// it (RFC 6749 §4.1.2).
func (s *Service) redeemCode(ctx context.Context, c store.Client, req oidc.TokenRequest, jkt, ip string) (mint, error) {
	if req.Code == "" {
		return mint{}, oidc.InvalidRequest("missing code")
	}
	var m mint
	var refused *oidc.Error
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		code, err := tx.Code(ctx, oidc.HashSecret(req.Code))
		switch {
		case errors.Is(err, store.ErrNotFound):
			// The sweep deletes expired codes, so an unknown code may
			// well be one that expired: say both.
			refused = oidc.InvalidGrant("Authorization code is invalid or has expired")
			return nil
		case err != nil:
			return errInternal("read code: %w", err)
		case code.ClientID != c.ID:
			refused = oidc.InvalidGrant("Authorization code is invalid")
			return nil
		case !code.UsedAt.IsZero():
			refused = oidc.InvalidGrant("Authorization code has already been used")
			return s.revokeFamily(ctx, tx, c, code.GrantID, "code_replay", ip)
		case !tx.Now.Before(code.ExpiresAt):
			refused = oidc.InvalidGrant("Authorization code has expired")
			return nil
		case req.RedirectURI != code.RedirectURI:
			refused = oidc.InvalidGrant("redirect_uri does not match the authorization request")
			return nil
		}
		if refused = checkVerifier(code, req.CodeVerifier); refused != nil {
			return nil
		}
		u, err := tx.User(ctx, code.UserID)
		if err != nil {
			return errInternal("read user: %w", err)
		}
		if u.Disabled || u.SessionVersion != code.SessionVersion {
			refused = oidc.InvalidGrant("the user's session has ended")
			return nil
		}
		if err := tx.UseCode(ctx, code.Hash); errors.Is(err, store.ErrNotFound) {
			refused = oidc.InvalidGrant("Authorization code has already been used")
			return s.revokeFamily(ctx, tx, c, code.GrantID, "code_replay", ip)
		} else if err != nil {
			return errInternal("use code: %w", err)
		}
		g := store.Grant{ID: code.GrantID, ClientID: c.ID, UserID: u.ID, Scopes: code.Scopes, SessionID: code.SessionID,
			AuthTime: code.AuthTime, CreatedAt: tx.Now, ExpiresAt: tx.Now.Add(AccessTokenLifetime), DPoPJKT: familyBinding(c, jkt)}
		m = mint{now: tx.Now, client: c, user: u, grantID: g.ID, nonce: code.Nonce, sid: code.SessionID, authTime: code.AuthTime}
		if hasGrant(c, oidc.GrantRefreshToken) {
			g.ExpiresAt = tx.Now.Add(RefreshTokenLifetime)
		}
		if err := tx.InsertGrant(ctx, g); err != nil {
			return errInternal("insert grant: %w", err)
		}
		return s.fillUserTokens(ctx, tx, &m, strings.Fields(code.Scopes), u.SessionVersion)
	})
	if err != nil {
		return mint{}, err
	}
	if refused != nil {
		return mint{}, refused
	}
	m.idToken = slices.Contains(m.scopes, oidc.ScopeOpenID)
	return m, nil
}

// checkVerifier applies PKCE: a code bound to a challenge needs the
// matching verifier, and a verifier without a challenge is refused, so a
// downgrade is noticed (OAuth 2.1 §4.1.3).
func checkVerifier(code store.Code, verifier string) *oidc.Error {
	switch {
	case code.CodeChallenge == "" && verifier != "":
		return oidc.InvalidGrant("code_verifier sent, but the authorization request had no code_challenge")
	case code.CodeChallenge == "":
		return nil
	case verifier == "":
		return oidc.InvalidGrant("missing code_verifier")
	case !oidc.VerifyPKCE(code.CodeChallengeMethod, code.CodeChallenge, verifier):
		return oidc.InvalidGrant("code_verifier does not match the code_challenge")
	}
	return nil
}

// fillUserTokens computes, inside tx, the products the user can use now,
// drops product scopes they lost, and issues the next refresh token when
// the client may refresh.
func (s *Service) fillUserTokens(ctx context.Context, tx *store.Tx, m *mint, granted []string, sessionVersion int) error {
	amr, err := tx.GrantAuthMethods(ctx, m.grantID)
	if err != nil {
		return errInternal("read auth methods: %w", err)
	}
	m.amr = strings.Fields(amr)
	products, err := userProducts(ctx, tx, m.user.ID)
	if err != nil {
		return errInternal("user products: %w", err)
	}
	m.products = []string{}
	for _, p := range products {
		m.products = append(m.products, p.Slug)
	}
	for _, sc := range granted {
		if slices.Contains(defaultClientScopes, sc) || slices.Contains(m.products, sc) {
			m.scopes = append(m.scopes, sc)
		}
	}
	if !hasGrant(m.client, oidc.GrantRefreshToken) {
		return nil
	}
	m.refresh = newSecret(prefixRefreshToken)
	err = tx.InsertRefreshToken(ctx, store.RefreshToken{Hash: oidc.HashSecret(m.refresh), GrantID: m.grantID,
		Scopes: oidc.JoinScope(granted), SessionVersion: sessionVersion, CreatedAt: tx.Now,
		ExpiresAt: tx.Now.Add(RefreshTokenLifetime)})
	if err != nil {
		return errInternal("insert refresh token: %w", err)
	}
	if err := tx.ExtendGrant(ctx, m.grantID, tx.Now.Add(RefreshTokenLifetime)); err != nil {
		return errInternal("extend grant: %w", err)
	}
	return nil
}

// revokeFamily revokes a grant and every token descended from it, and
// audits why (a replayed code or a reused refresh token).
func (s *Service) revokeFamily(ctx context.Context, tx *store.Tx, c store.Client, grantID, reason, ip string) error {
	revoked, err := tx.RevokeGrant(ctx, grantID, reason)
	if err != nil {
		return errInternal("revoke grant: %w", err)
	}
	action := "token.reuse_detected"
	if reason == "code_replay" {
		action = "token.code_replay_detected"
	}
	return s.audit(ctx, tx, Actor{Kind: ActorClient, ID: c.ID, Label: c.Name, IP: ip}, AuditRecord{Action: action,
		TargetType: "grant", TargetID: grantID, OrgID: c.OrgID, Outcome: OutcomeFailure,
		Details: map[string]any{"client_id": c.ID, "family_revoked": revoked}})
}

// refresh rotates a refresh token (RFC 6749 §6, OAuth 2.1 §4.3.1): the
// presented token is marked used and a new one issued in the same family.
// A used token presented again is reuse and revokes the whole family.
func (s *Service) refresh(ctx context.Context, c store.Client, req oidc.TokenRequest, jkt, ip string) (mint, error) {
	if req.RefreshToken == "" {
		return mint{}, oidc.InvalidRequest("missing refresh_token")
	}
	var m mint
	var refused *oidc.Error
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		rt, g, err := refreshRows(ctx, tx, oidc.HashSecret(req.RefreshToken))
		switch {
		case errors.Is(err, store.ErrNotFound), err == nil && g.ClientID != c.ID:
			refused = oidc.InvalidGrant("Refresh token is invalid")
			return nil
		case err != nil:
			return errInternal("read refresh token: %w", err)
		case !g.RevokedAt.IsZero():
			refused = oidc.InvalidGrant("Refresh token has been revoked")
			return nil
		case !rt.UsedAt.IsZero():
			refused = oidc.InvalidGrant("Refresh token has already been used")
			return s.revokeFamily(ctx, tx, c, g.ID, "refresh_reuse", ip)
		case !tx.Now.Before(rt.ExpiresAt):
			refused = oidc.InvalidGrant("Refresh token has expired")
			return nil
		}
		if refused = refreshBinding(g, jkt); refused != nil {
			return nil
		}
		granted := strings.Fields(rt.Scopes)
		for _, sc := range req.Scopes {
			if !slices.Contains(granted, sc) {
				refused = oidc.InvalidScope("Requested scope not allowed")
				return nil
			}
		}
		u, err := tx.User(ctx, g.UserID)
		if err != nil {
			return errInternal("read user: %w", err)
		}
		if u.Disabled || u.SessionVersion != rt.SessionVersion {
			refused = oidc.InvalidGrant("the user's session has ended; sign in again")
			return nil
		}
		if err := tx.UseRefreshToken(ctx, rt.Hash); errors.Is(err, store.ErrNotFound) {
			refused = oidc.InvalidGrant("Refresh token has already been used")
			return s.revokeFamily(ctx, tx, c, g.ID, "refresh_reuse", ip)
		} else if err != nil {
			return errInternal("use refresh token: %w", err)
		}
		m = mint{now: tx.Now, client: c, user: u, grantID: g.ID, authTime: g.AuthTime, sid: g.SessionID}
		if err := s.fillUserTokens(ctx, tx, &m, granted, rt.SessionVersion); err != nil {
			return err
		}
		if len(req.Scopes) > 0 { // a narrower access token; the family keeps the grant's scopes
			m.scopes = slices.DeleteFunc(m.scopes, func(sc string) bool { return !slices.Contains(req.Scopes, sc) })
		}
		return nil
	})
	if err != nil {
		return mint{}, err
	}
	if refused != nil {
		return mint{}, refused
	}
	return m, nil
}

func refreshRows(ctx context.Context, tx *store.Tx, hash string) (store.RefreshToken, store.Grant, error) {
	rt, err := tx.RefreshToken(ctx, hash)
	if err != nil {
		return rt, store.Grant{}, err
	}
	g, err := tx.Grant(ctx, rt.GrantID)
	return rt, g, err
}

// clientCredentials issues an access token to a confidential client acting
// for itself (RFC 6749 §4.4): no user, no refresh token, nothing written.
func (s *Service) clientCredentials(c store.Client, req oidc.TokenRequest) (mint, error) {
	if c.Public {
		return mint{}, oidc.UnauthorizedClient("public clients cannot use client_credentials")
	}
	for _, sc := range req.Scopes {
		if sc == oidc.ScopeOpenID || sc == oidc.ScopeOfflineAccess || !slices.Contains(c.AllowedScopes, sc) {
			return mint{}, oidc.InvalidScope("Requested scope not allowed")
		}
	}
	return mint{now: s.now().UTC(), client: c, scopes: req.Scopes}, nil
}
