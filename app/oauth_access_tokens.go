package app

import (
	"context"
	"crypto/sha256"
	"errors"
	"slices"
	"strings"
	"time"

	"optare/app/oidc"
	"optare/store"
)

// Token lifetimes (SPEC §5).
const (
	CodeLifetime         = 5 * time.Minute
	AccessTokenLifetime  = time.Hour
	IDTokenLifetime      = time.Hour
	RefreshTokenLifetime = 30 * 24 * time.Hour
	// tokenLeeway absorbs clock skew between Optare instances.
	tokenLeeway = 30 * time.Second
)

// accessClaims are the claims of an access token (RFC 9068 §2.2 and SPEC
// §5). sv and gid are Optare's own: the user's session version when the
// token was issued and the grant (token family) it descends from.
type accessClaims struct {
	Issuer         string   `json:"iss"`
	Subject        string   `json:"sub"`
	Audience       []string `json:"aud"`
	ClientID       string   `json:"client_id"`
	Scope          string   `json:"scope"`
	JTI            string   `json:"jti"`
	IssuedAt       int64    `json:"iat"`
	ExpiresAt      int64    `json:"exp"`
	AuthTime       int64    `json:"auth_time,omitempty"`
	OrganizationID string   `json:"organizationId,omitempty"`
	Products       []string `json:"products"`
	SessionVersion int      `json:"sv,omitempty"`
	GrantID        string   `json:"gid,omitempty"`
	// Confirmation binds a DPoP token to its key (RFC 9449 §6.1).
	Confirmation *Confirmation `json:"cnf,omitempty"`
}

// AccessTokenInfo is what a verified access token says, and what its
// subject is now. A door builds an Actor from it with Actor.
type AccessTokenInfo struct {
	// UserID is the user the token acts for; empty for a client acting for
	// itself (client credentials), whose ClientID is then the subject.
	UserID   string
	ClientID string
	// ClientName labels the client in the audit log.
	ClientName string
	Scopes     []string
	// OrgID is the user's primary organization (for a client token, the
	// client's owning organization); Role is the user's role in it and
	// Operator whether it is the operator organization.
	OrgID    string
	Role     string
	Operator bool
	// Email is the user's email, the audit log's label for them.
	Email string
	// Products are the product slugs the token was issued with.
	Products []string
	JTI      string
	GrantID  string
	// JKT is the token's confirmation (cnf.jkt): the thumbprint of the
	// DPoP key it is bound to, "" for a bearer token. Whoever keeps a
	// verified token keeps this with it, since VerifyAccessRequest
	// enforces it on every use.
	JKT       string
	IssuedAt  time.Time
	ExpiresAt time.Time
	// orgPerHour is the organization's REST API rate-limit override, so a
	// token's requests count against the same hourly budget, at the same
	// limit, as its organization's API keys.
	orgPerHour int
}

// HasScope reports whether the token carries scope.
func (i AccessTokenInfo) HasScope(scope string) bool { return slices.Contains(i.Scopes, scope) }

// Actor is the actor the token acts as, from ip: the user (with their
// current organization and role) or, for client credentials, the client.
func (i AccessTokenInfo) Actor(ip string) Actor {
	if i.UserID == "" {
		return Actor{Kind: ActorClient, ID: i.ClientID, Label: i.ClientName, IP: ip, OrgID: i.OrgID, Operator: i.Operator, orgPerHour: i.orgPerHour}
	}
	return Actor{Kind: ActorUser, ID: i.UserID, Label: i.Email, IP: ip, OrgID: i.OrgID, Role: i.Role, Operator: i.Operator, orgPerHour: i.orgPerHour}
}

// errInvalidToken is the one answer to every refused access token, so a
// caller learns nothing about why; the cause is in Err for the log.
func errInvalidToken(cause error) *Error {
	return &Error{Kind: KindUnauthenticated, Code: oidc.CodeInvalidToken, Message: "Access token is invalid or expired", Err: cause}
}

// VerifyAccessToken checks an access token for Optare's own endpoints
// (userinfo, introspection, the REST API) and returns what it grants.
//
// It checks the signature against the published keys (in memory), typ
// at+jwt, iss, that aud holds the issuer, exp and iat with 30 seconds of
// leeway, and then, in one indexed read and no write, the token's subject
// as it is now: the user exists, is not disabled and has the session
// version the token was issued at (a password change or "sign out
// everywhere" ends every earlier token), the token's grant is not revoked
// and its jti was not revoked on its own, and the client is enabled. For a
// client-credentials token (no user) the client must exist and be enabled.
//
// Every refusal is an *Error of KindUnauthenticated with Code
// "invalid_token" (answer 401 with WWW-Authenticate: Bearer
// error="invalid_token"); a database failure is KindInternal.
func (s *Service) VerifyAccessToken(ctx context.Context, raw string) (AccessTokenInfo, error) {
	return s.verifyAccess(ctx, raw, Prefetch{})
}

// verifyAccess is VerifyAccessToken reading, when the token is not cached,
// what p names in the same read as the token's subject.
func (s *Service) verifyAccess(ctx context.Context, raw string, p Prefetch) (AccessTokenInfo, error) {
	ep, sum := s.db.CacheEpoch(), sha256.Sum256([]byte(raw))
	if info, ok := s.cache.tokens.get(ep, sum, s.now().Add(-tokenLeeway)); ok {
		return info, nil
	}
	info, err := s.verifyAccessToken(ctx, ep, raw, p)
	if err == nil {
		s.cache.tokens.put(ep, sum, info, info.ExpiresAt)
	}
	return info, err
}

// errNoKeyring stands for a signature not checked yet: no keyring loaded.
var errNoKeyring = errors.New("no keyring loaded")

// verifyAccessToken is VerifyAccessToken without the cache, in epoch ep.
// The signature is checked with the last keyring, current or not, and the
// one read of the token's subject also reads the keys' version: only when
// the keys changed, or the signature is by a key the last keyring lacks,
// are they read on their own.
func (s *Service) verifyAccessToken(ctx context.Context, ep uint64, raw string, p Prefetch) (AccessTokenInfo, error) {
	var c accessClaims
	kr, err := s.keys.last(s.now()), errNoKeyring
	if kr != nil {
		err = kr.access.VerifyType(raw, oidc.TypeAccessToken, &c)
	}
	if err != nil && (kr == nil || kr.epoch != ep) {
		if kr, err = s.keyring(ctx); err != nil {
			return AccessTokenInfo{}, errInternal("load keys: %w", err)
		}
		err = kr.access.VerifyType(raw, oidc.TypeAccessToken, &c)
	}
	if err != nil {
		return AccessTokenInfo{}, errInvalidToken(err)
	}
	now := s.now()
	if err := oidc.ValidateTimes(c.ExpiresAt, 0, c.IssuedAt, now, tokenLeeway); err != nil {
		return AccessTokenInfo{}, errInvalidToken(err)
	}
	if c.Issuer != s.Issuer() || !slices.Contains(c.Audience, s.Issuer()) || c.ClientID == "" || c.JTI == "" {
		return AccessTokenInfo{}, errInvalidToken(errors.New("wrong iss or aud, or no client_id or jti"))
	}
	info := AccessTokenInfo{ClientID: c.ClientID, Scopes: strings.Fields(c.Scope), Products: c.Products, JTI: c.JTI,
		GrantID: c.GrantID, IssuedAt: time.Unix(c.IssuedAt, 0).UTC(), ExpiresAt: time.Unix(c.ExpiresAt, 0).UTC()}
	if c.Confirmation != nil {
		if c.Confirmation.JKT == "" {
			return AccessTokenInfo{}, errInvalidToken(errors.New("cnf without jkt"))
		}
		info.JKT = c.Confirmation.JKT
	}
	userToken := c.GrantID != ""
	ref := store.TokenRef{ClientID: c.ClientID, JTI: c.JTI}
	if userToken {
		info.UserID = c.Subject
		ref.UserID, ref.GrantID = c.Subject, c.GrantID
	}
	f, err := s.hotRead(ctx, ep, s.hotQuery(store.HotQuery{Token: &ref}, ep, p, info.UserID))
	if err != nil {
		return AccessTokenInfo{}, errInternal("read token subject: %w", err)
	}
	if f.KeysVersion != kr.version {
		// The keys changed since the keyring the signature was checked
		// with: it must hold with the current ones.
		if kr, err = s.keyring(ctx); err != nil {
			return AccessTokenInfo{}, errInternal("load keys: %w", err)
		}
		if err := kr.access.VerifyType(raw, oidc.TypeAccessToken, &accessClaims{}); err != nil {
			return AccessTokenInfo{}, errInvalidToken(err)
		}
	}
	subj := f.Subject
	switch {
	case !subj.Found:
		return AccessTokenInfo{}, errInvalidToken(errors.New("subject not found"))
	case subj.Revoked:
		return AccessTokenInfo{}, errInvalidToken(errors.New("token revoked"))
	case !subj.ClientEnabled:
		return AccessTokenInfo{}, errInvalidToken(errors.New("client disabled or gone"))
	case userToken && subj.Disabled:
		return AccessTokenInfo{}, errInvalidToken(errors.New("user disabled"))
	case userToken && subj.SessionVersion != c.SessionVersion:
		return AccessTokenInfo{}, errInvalidToken(errors.New("session version changed"))
	}
	info.ClientName, info.OrgID, info.Role, info.Operator, info.Email = subj.ClientName, subj.OrgID, subj.Role, subj.Operator, subj.Email
	info.orgPerHour = subj.OrgRateLimitPerHour
	return info, nil
}

func unixTime(sec int64) time.Time { return time.Unix(sec, 0).UTC() }
