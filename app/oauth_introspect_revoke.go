package app

import (
	"context"
	"errors"
	"strings"

	"optare/app/oidc"
	"optare/store"
)

// Introspection is an RFC 7662 answer. Inactive tokens answer only
// {"active": false}.
type Introspection struct {
	Active         bool     `json:"active"`
	Scope          string   `json:"scope,omitempty"`
	ClientID       string   `json:"client_id,omitempty"`
	Username       string   `json:"username,omitempty"`
	TokenType      string   `json:"token_type,omitempty"`
	Exp            int64    `json:"exp,omitempty"`
	Iat            int64    `json:"iat,omitempty"`
	Sub            string   `json:"sub,omitempty"`
	Aud            []string `json:"aud,omitempty"`
	Iss            string   `json:"iss,omitempty"`
	JTI            string   `json:"jti,omitempty"`
	OrganizationID string   `json:"organizationId,omitempty"`
	Products       []string `json:"products,omitempty"`
	// Cnf is the DPoP key a bound token is bound to (RFC 9449 §6.2): a
	// resource server that introspects must check the request's proof
	// against it.
	Cnf *Confirmation `json:"cnf,omitempty"`
}

// Introspect reports whether a token is active (RFC 7662) to an
// authenticated confidential client. Access tokens go through
// VerifyAccessToken, so a revoked family, a disabled user or an older
// session version reads inactive; they are self-contained JWTs, so any
// confidential client may introspect them. A refresh token is described
// only to the client it was issued to.
//
// An access token is verified before the client is authenticated, so that
// a cold cache reads the client with the token's subject, in one round
// trip; nothing about the token is answered before the client is.
func (s *Service) Introspect(ctx context.Context, auth oidc.ClientAuth, token, ip string) (Introspection, error) {
	jwt := strings.Count(token, ".") == 2
	var info AccessTokenInfo
	var verr error
	if jwt {
		info, verr = s.verifyAccess(ctx, token, Prefetch{client: auth.ClientID})
	}
	c, err := s.authenticateClient(ctx, auth, ip)
	if err != nil {
		return Introspection{}, err
	}
	if c.Public {
		return Introspection{}, oidc.UnauthorizedClient("introspection is for confidential clients")
	}
	if jwt {
		if ErrorKind(verr) == KindInternal && verr != nil {
			return Introspection{}, verr
		}
		if verr != nil {
			return Introspection{}, nil
		}
		sub := info.UserID
		if sub == "" {
			sub = info.ClientID
		}
		tokenType, cnf := "Bearer", (*Confirmation)(nil)
		if info.JKT != "" {
			tokenType, cnf = oidc.SchemeDPoP, &Confirmation{JKT: info.JKT}
		}
		return Introspection{Active: true, Scope: oidc.JoinScope(info.Scopes), ClientID: info.ClientID, Username: info.Email,
			TokenType: tokenType, Cnf: cnf, Exp: info.ExpiresAt.Unix(), Iat: info.IssuedAt.Unix(), Sub: sub,
			Aud: []string{s.Issuer(), info.ClientID}, Iss: s.Issuer(), JTI: info.JTI, OrganizationID: info.OrgID,
			Products: info.Products}, nil
	}
	var out Introspection
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		f, err := tx.RefreshFamily(ctx, oidc.HashSecret(token))
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		rt, g := f.Token, f.Grant
		if g.ClientID != c.ID || !g.RevokedAt.IsZero() || !rt.UsedAt.IsZero() || !tx.Now.Before(rt.ExpiresAt) {
			return nil
		}
		u, err := tx.User(ctx, g.UserID)
		if err != nil || u.Disabled || u.SessionVersion != rt.SessionVersion {
			return err
		}
		out = Introspection{Active: true, Scope: rt.Scopes, ClientID: c.ID, Username: u.Email, TokenType: "refresh_token",
			Exp: rt.ExpiresAt.Unix(), Iat: rt.CreatedAt.Unix(), Sub: u.ID, Iss: s.Issuer(), OrganizationID: u.PrimaryOrgID}
		if g.DPoPJKT != "" {
			out.Cnf = &Confirmation{JKT: g.DPoPJKT}
		}
		return nil
	})
	if err != nil {
		return Introspection{}, errInternal("introspect: %w", err)
	}
	return out, nil
}

// Revoke revokes a token (RFC 7009) for the client it was issued to: a
// refresh token, or an access token of a grant, revokes the whole family;
// a client-credentials access token is revoked on its own. An unknown
// token, or one of another client, changes nothing and is not an error,
// so the answer reveals nothing.
func (s *Service) Revoke(ctx context.Context, auth oidc.ClientAuth, token, ip string) error {
	c, err := s.authenticateClient(ctx, auth, ip)
	if err != nil {
		return err
	}
	grantID, jti, exp := "", "", int64(0)
	if strings.Count(token, ".") == 2 {
		kr, err := s.keyring(ctx)
		if err != nil {
			return errInternal("load keys: %w", err)
		}
		var claims accessClaims
		if kr.access.VerifyType(token, oidc.TypeAccessToken, &claims) != nil || claims.ClientID != c.ID {
			return nil
		}
		grantID, jti, exp = claims.GrantID, claims.JTI, claims.ExpiresAt
	}
	actor := Actor{Kind: ActorClient, ID: c.ID, Label: c.Name, IP: ip, OrgID: c.OrgID}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if jti != "" && grantID == "" {
			if err := tx.InsertRevokedToken(ctx, jti, unixTime(exp)); err != nil {
				return errInternal("revoke token: %w", err)
			}
			return s.audit(ctx, tx, actor, AuditRecord{Action: "token.revoked", TargetType: "access_token", TargetID: jti, OrgID: c.OrgID})
		}
		if grantID == "" {
			f, err := tx.RefreshFamily(ctx, oidc.HashSecret(token))
			if errors.Is(err, store.ErrNotFound) || (err == nil && f.Grant.ClientID != c.ID) {
				return nil
			}
			if err != nil {
				return errInternal("read refresh token: %w", err)
			}
			grantID = f.Token.GrantID
		}
		revoked, err := tx.RevokeGrant(ctx, grantID, "revoked_by_client")
		if err != nil || !revoked {
			return err
		}
		return s.audit(ctx, tx, actor, AuditRecord{Action: "token.revoked", TargetType: "grant", TargetID: grantID, OrgID: c.OrgID,
			Details: map[string]any{"family_revoked": true}})
	})
}
