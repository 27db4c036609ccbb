package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

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
	err := s.db.WriteGrouped(ctx, func(ctx context.Context, tx *store.Tx) error {
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
		u, refusal, err := grantUser(ctx, tx, code.UserID, code.SessionVersion, "the user's session has ended")
		if err != nil || refusal != nil {
			refused = refusal
			return err
		}
		if err := tx.UseCode(ctx, code.Hash); errors.Is(err, store.ErrNotFound) {
			refused = oidc.InvalidGrant("Authorization code has already been used")
			return s.revokeFamily(ctx, tx, c, code.GrantID, "code_replay", ip)
		} else if err != nil {
			return errInternal("use code: %w", err)
		}
		expires, err := insertGrant(ctx, tx, c, store.Grant{ID: code.GrantID, ClientID: c.ID, UserID: u.ID, Scopes: code.Scopes,
			SessionID: code.SessionID, AuthTime: code.AuthTime, DPoPJKT: familyBinding(c, jkt)})
		if err != nil {
			return err
		}
		m = mint{now: tx.Now, client: c, user: u, grantID: code.GrantID, grantExpires: expires, nonce: code.Nonce,
			sid: code.SessionID, authTime: code.AuthTime}
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
	return issueUserTokens(ctx, tx, m, granted, products, sessionVersion)
}

// issueUserTokens drops from granted the product scopes the user lost
// (products: what the user can use now), and issues the next refresh token
// when the client may refresh.
func issueUserTokens(ctx context.Context, tx *store.Tx, m *mint, granted []string, products []ProductAccess, sessionVersion int) error {
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
	err := tx.InsertRefreshToken(ctx, store.RefreshToken{Hash: oidc.HashSecret(m.refresh), GrantID: m.grantID,
		Scopes: oidc.JoinScope(granted), SessionVersion: sessionVersion, CreatedAt: tx.Now,
		ExpiresAt: tx.Now.Add(RefreshTokenLifetime)})
	if err != nil {
		return errInternal("insert refresh token: %w", err)
	}
	// The grant outlives every token of its family. Extended a day further
	// than the new token needs, it is written about once a day per family
	// rather than on every rotation (the write's row and index pages).
	if until := tx.Now.Add(RefreshTokenLifetime); m.grantExpires.Before(until) {
		if err := tx.ExtendGrant(ctx, m.grantID, until.Add(grantSlack)); err != nil {
			return errInternal("extend grant: %w", err)
		}
	}
	return nil
}

// grantSlack is how much longer than its newest refresh token a grant is
// extended to live.
const grantSlack = 24 * time.Hour

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
//
// It runs in a group commit (store.WriteGrouped), and reads the token with
// its grant (one statement) there, on the writer: on SQLite a reader
// connection's page cache is emptied whenever the file changed since its
// last read, which every refresh does, while the writer's stays warm, so
// the read costs a fraction of a reader's. The user and their products come
// from the userinfo cache when it holds them (never a read on another
// connection while the group holds the writer); one statement then marks
// the token used only if its user is still enabled at the token's session
// version (the cache may lag), the next token is inserted, and the grant
// extended when it would expire first. Anything else (a refusal, a reuse, a
// user the cache does not hold or vouch for) is decided on what the
// transaction reads, as a single transaction always did: two concurrent
// uses of one token give one rotation and one reuse that revokes the
// family. A rotation the cache could not serve fills it after the commit,
// off the writer, for the family's next rotations.
func (s *Service) refresh(ctx context.Context, c store.Client, req oidc.TokenRequest, jkt, ip string) (mint, error) {
	if req.RefreshToken == "" {
		return mint{}, oidc.InvalidRequest("missing refresh_token")
	}
	hash := oidc.HashSecret(req.RefreshToken)
	var m mint
	var refused *oidc.Error
	var cached bool
	err := s.db.WriteGrouped(ctx, func(ctx context.Context, tx *store.Tx) error {
		m, refused, cached = mint{}, nil, false
		f, err := tx.RefreshFamily(ctx, hash)
		if errors.Is(err, store.ErrNotFound) {
			refused = oidc.InvalidGrant("Refresh token is invalid")
			return nil
		} else if err != nil {
			return errInternal("read refresh token: %w", err)
		}
		if r, _ := refreshRefusal(f, c, req, jkt, tx.Now); r == nil {
			var facts userFacts
			facts, cached = s.cachedUserFacts(f.Grant.UserID)
			if cached && !facts.user.Disabled && facts.user.SessionVersion == f.Token.SessionVersion {
				rotated, err := tx.RotateRefreshToken(ctx, hash, f.Token.SessionVersion)
				if err != nil {
					return errInternal("use refresh token: %w", err)
				}
				if rotated {
					g := f.Grant
					m = mint{now: tx.Now, client: c, user: facts.user, grantID: g.ID, grantExpires: g.ExpiresAt,
						authTime: g.AuthTime, sid: g.SessionID, amr: strings.Fields(f.AMR)}
					return issueUserTokens(ctx, tx, &m, strings.Fields(f.Token.Scopes), facts.products, f.Token.SessionVersion)
				}
			}
		}
		var werr error
		m, refused, werr = s.refreshInWrite(ctx, tx, c, req, f, jkt, ip)
		return werr
	})
	if err != nil {
		return mint{}, err
	}
	if refused != nil {
		return mint{}, refused
	}
	if !cached {
		// Committed already: a failed fill only leaves the next rotation
		// on the transaction's reads.
		_, _ = s.userFacts(ctx, m.user.ID)
	}
	if len(req.Scopes) > 0 { // a narrower access token; the family keeps the grant's scopes
		m.scopes = slices.DeleteFunc(m.scopes, func(sc string) bool { return !slices.Contains(req.Scopes, sc) })
	}
	return m, nil
}

// refreshRefusal applies the refresh grant's rules to a token and its
// grant at now, for the read before the write and the read inside it
// alike. reuse is true for a token used before: its family must be
// revoked.
func refreshRefusal(f store.RefreshFamily, c store.Client, req oidc.TokenRequest, jkt string, now time.Time) (refused *oidc.Error, reuse bool) {
	switch {
	case f.Grant.ClientID != c.ID:
		return oidc.InvalidGrant("Refresh token is invalid"), false
	case !f.Grant.RevokedAt.IsZero():
		return oidc.InvalidGrant("Refresh token has been revoked"), false
	case !f.Token.UsedAt.IsZero():
		return oidc.InvalidGrant("Refresh token has already been used"), true
	case !now.Before(f.Token.ExpiresAt):
		return oidc.InvalidGrant("Refresh token has expired"), false
	}
	if refused := refreshBinding(f.Grant, jkt); refused != nil {
		return refused, false
	}
	granted := strings.Fields(f.Token.Scopes)
	for _, sc := range req.Scopes {
		if !slices.Contains(granted, sc) {
			return oidc.InvalidScope("Requested scope not allowed"), false
		}
	}
	return nil, false
}

// refreshInWrite is the refresh grant decided entirely inside the write
// transaction, on the family f it read there and the user it reads: the
// path of every case the userinfo cache and the conditional rotation could
// not settle.
func (s *Service) refreshInWrite(ctx context.Context, tx *store.Tx, c store.Client, req oidc.TokenRequest, f store.RefreshFamily, jkt, ip string) (mint, *oidc.Error, error) {
	rt, g := f.Token, f.Grant
	refused, reuse := refreshRefusal(f, c, req, jkt, tx.Now)
	if reuse {
		return mint{}, refused, s.revokeFamily(ctx, tx, c, g.ID, "refresh_reuse", ip)
	} else if refused != nil {
		return mint{}, refused, nil
	}
	u, refused, err := grantUser(ctx, tx, g.UserID, rt.SessionVersion, "the user's session has ended; sign in again")
	if err != nil || refused != nil {
		return mint{}, refused, err
	}
	if err := tx.UseRefreshToken(ctx, rt.Hash); errors.Is(err, store.ErrNotFound) {
		return mint{}, oidc.InvalidGrant("Refresh token has already been used"), s.revokeFamily(ctx, tx, c, g.ID, "refresh_reuse", ip)
	} else if err != nil {
		return mint{}, nil, errInternal("use refresh token: %w", err)
	}
	products, err := userProducts(ctx, tx, u.ID)
	if err != nil {
		return mint{}, nil, errInternal("user products: %w", err)
	}
	m := mint{now: tx.Now, client: c, user: u, grantID: g.ID, grantExpires: g.ExpiresAt, authTime: g.AuthTime, sid: g.SessionID,
		amr: strings.Fields(f.AMR)} // read with the family
	return m, nil, issueUserTokens(ctx, tx, &m, strings.Fields(rt.Scopes), products, rt.SessionVersion)
}

// grantUser reads the user a code, device code or refresh token acts for.
// A disabled user, or a session version that moved on since it was issued
// (signed out everywhere, password changed), refuses it with msg.
func grantUser(ctx context.Context, tx *store.Tx, userID string, sessionVersion int, msg string) (store.User, *oidc.Error, error) {
	u, err := tx.User(ctx, userID)
	if err != nil {
		return u, nil, errInternal("read user: %w", err)
	}
	if u.Disabled || u.SessionVersion != sessionVersion {
		return u, oidc.InvalidGrant(msg), nil
	}
	return u, nil, nil
}

// insertGrant starts the token family g for c: it lives as long as a
// refresh token when c may refresh, else as long as its access token.
func insertGrant(ctx context.Context, tx *store.Tx, c store.Client, g store.Grant) (expires time.Time, err error) {
	g.CreatedAt, g.ExpiresAt = tx.Now, tx.Now.Add(AccessTokenLifetime)
	if hasGrant(c, oidc.GrantRefreshToken) {
		g.ExpiresAt = tx.Now.Add(RefreshTokenLifetime)
	}
	if err := tx.InsertGrant(ctx, g); err != nil {
		return time.Time{}, errInternal("insert grant: %w", err)
	}
	return g.ExpiresAt, nil
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
