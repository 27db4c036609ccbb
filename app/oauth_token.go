package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"optare/app/oidc"
	"optare/store"
)

// TokenResponse is the token endpoint's answer (RFC 6749 §5.1, OpenID
// Connect Core §3.1.3.3).
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
}

// Token serves a token request: it authenticates the client (SHA-256 and
// a constant-time compare), checks the DPoP proof when one came (the
// tokens are then bound to its key: cnf.jkt, token_type DPoP), runs the grant in at most one write
// transaction, and signs after the commit, so the writer is never held
// while signing. Protocol refusals are *oidc.Error values with their RFC
// codes; anything else is internal.
func (s *Service) Token(ctx context.Context, req oidc.TokenRequest, ip string) (TokenResponse, error) {
	c, err := s.authenticateClient(ctx, req.ClientAuth, ip)
	if err != nil {
		return TokenResponse{}, err
	}
	switch req.GrantType {
	case oidc.GrantAuthorizationCode, oidc.GrantRefreshToken, oidc.GrantClientCredentials, oidc.GrantDeviceCode:
		if !hasGrant(c, req.GrantType) {
			return TokenResponse{}, oidc.UnauthorizedClient("this client may not use the " + req.GrantType + " grant")
		}
	default:
		return TokenResponse{}, oidc.UnsupportedGrantType("grant_type must be authorization_code, refresh_token, client_credentials or " + oidc.GrantDeviceCode)
	}
	jkt, err := s.tokenProof(ctx, c, req.DPoPProof)
	if err != nil {
		return TokenResponse{}, err
	}
	var m mint
	switch req.GrantType {
	case oidc.GrantAuthorizationCode:
		m, err = s.redeemCode(ctx, c, req, jkt, ip)
	case oidc.GrantRefreshToken:
		m, err = s.refresh(ctx, c, req, jkt, ip)
	case oidc.GrantDeviceCode:
		m, err = s.redeemDevice(ctx, c, req, jkt, ip)
	default:
		m, err = s.clientCredentials(c, req)
	}
	if err != nil {
		return TokenResponse{}, err
	}
	m.jkt = jkt
	res, err := s.mintTokens(ctx, m)
	if err == nil {
		s.metrics.TokenIssued(req.GrantType, s.accessAlg)
	}
	return res, err
}

// authenticateClient finds an enabled client and checks its credentials:
// a confidential client must present its secret, a public one none. A
// refusal is audited (client.auth_failed) and answered invalid_client.
func (s *Service) authenticateClient(ctx context.Context, auth oidc.ClientAuth, ip string) (store.Client, error) {
	c, err := s.clientByID(ctx, auth.ClientID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return c, errInternal("read client: %w", err)
	}
	reason, e := "", (*oidc.Error)(nil)
	keyed := c.AuthMethod == oidc.AuthMethodPrivateKeyJWT
	switch {
	case err != nil:
		reason, e = "unknown_client", oidc.InvalidClient("Client not found")
	case !c.Enabled:
		reason, e = "client_disabled", oidc.InvalidClient("Client is disabled")
	case keyed && auth.AuthMethod != oidc.AuthMethodPrivateKeyJWT:
		reason, e = "assertion_required", oidc.InvalidClient("this client authenticates with private_key_jwt")
	case !keyed && auth.AuthMethod == oidc.AuthMethodPrivateKeyJWT:
		reason, e = "assertion_not_registered", oidc.InvalidClient("this client has no registered keys; use its secret")
	case keyed:
		var verr error
		if reason, verr = s.verifyAssertion(ctx, c, auth.Assertion); verr != nil {
			if ErrorKind(verr) == KindInternal && reason == "" {
				return c, verr
			}
			e = oidc.InvalidClient("client authentication failed: " + verr.Error())
		}
	case c.Public && auth.AuthMethod != oidc.AuthMethodNone:
		reason, e = "secret_for_public_client", oidc.InvalidClient("a public client has no secret")
	case !c.Public && auth.AuthMethod == oidc.AuthMethodNone:
		reason, e = "no_secret", oidc.InvalidClient("client authentication required")
	case !c.Public && !oidc.EqualHash(oidc.HashSecret(auth.ClientSecret), c.SecretHash):
		reason, e = "wrong_secret", oidc.InvalidClient("client authentication failed")
	}
	if e != nil {
		// Like API keys: throttle this client_id, or this address for
		// unknown client_ids, and collapse repeats in the audit log.
		known := ""
		if err == nil {
			known = c.ID
		}
		budget := failureBudget("client", known, ip)
		actor := Actor{Kind: ActorClient, ID: auth.ClientID, Label: auth.ClientID, IP: ip}
		rec := AuditRecord{Action: "client.auth_failed", TargetType: "client", TargetID: auth.ClientID, OrgID: c.OrgID,
			Details: map[string]any{"reason": reason, "method": auth.AuthMethod}}
		if st, ok := s.authFailures.take(budget, s.limits.AuthFailuresPerIP); !ok {
			rec.Details["reason"] = "throttled"
			s.auditCollapsed(ctx, actor, rec, budget)
			return c, &oidc.Error{Code: "invalid_client", Status: http.StatusTooManyRequests,
				Description: fmt.Sprintf("too many failed client authentications; retry in %d seconds", retrySeconds(st.Reset))}
		}
		s.auditCollapsed(ctx, actor, rec, budget+"|"+auth.ClientID+"|"+reason)
		return c, e
	}
	return c, nil
}

// mint is everything needed to sign a token response, gathered inside the
// grant's transaction.
type mint struct {
	now      time.Time
	client   store.Client
	user     store.User // zero for client credentials
	scopes   []string
	products []string
	grantID  string
	// grantExpires is the grant's expiry as last read or written; the
	// next refresh token extends it only when it would outlive it.
	grantExpires time.Time
	refresh      string // the new refresh token, if any
	// ID token inputs; idToken is false when none is due.
	idToken  bool
	nonce    string
	sid      string
	authTime time.Time
	amr      []string // how the user signed in; nil when unknown
	jkt      string   // the DPoP key the access token is bound to; "" for a bearer token
}

// mintTokens signs the access token and, when due, the ID token.
func (s *Service) mintTokens(ctx context.Context, m mint) (TokenResponse, error) {
	kr, err := s.keyring(ctx)
	if err != nil {
		return TokenResponse{}, errInternal("load keys: %w", err)
	}
	iss := s.Issuer()
	at := accessClaims{Issuer: iss, Audience: []string{iss, m.client.ID}, ClientID: m.client.ID,
		Scope: oidc.JoinScope(m.scopes), JTI: newID(""), IssuedAt: m.now.Unix(),
		ExpiresAt: m.now.Add(AccessTokenLifetime).Unix(), Products: m.products, GrantID: m.grantID}
	tokenType := "Bearer"
	if m.jkt != "" {
		at.Confirmation, tokenType = &Confirmation{JKT: m.jkt}, oidc.SchemeDPoP
	}
	if at.Products == nil {
		at.Products = []string{}
	}
	if m.user.ID != "" {
		at.Subject, at.OrganizationID, at.SessionVersion = m.user.ID, m.user.PrimaryOrgID, m.user.SessionVersion
		at.AuthTime = m.authTime.Unix()
	} else {
		at.Subject, at.OrganizationID = m.client.ID, m.client.OrgID
	}
	access, err := kr.access.Sign(at, oidc.TypeAccessToken)
	if err != nil {
		return TokenResponse{}, errInternal("sign access token: %w", err)
	}
	res := TokenResponse{AccessToken: access, TokenType: tokenType, ExpiresIn: int(AccessTokenLifetime / time.Second),
		RefreshToken: m.refresh, Scope: at.Scope}
	if m.idToken {
		if res.IDToken, err = s.signIDToken(kr, m, access); err != nil {
			return TokenResponse{}, err
		}
	}
	return res, nil
}

// idClaims are the claims of an ID token (OpenID Connect Core §2, §5.4).
type idClaims struct {
	Issuer         string `json:"iss"`
	Subject        string `json:"sub"`
	Audience       string `json:"aud"`
	ExpiresAt      int64  `json:"exp"`
	IssuedAt       int64  `json:"iat"`
	AuthTime       int64  `json:"auth_time"`
	Nonce          string `json:"nonce,omitempty"`
	AtHash         string `json:"at_hash"`
	SessionID      string `json:"sid,omitempty"`
	Email          string `json:"email,omitempty"`
	EmailVerified  *bool  `json:"email_verified,omitempty"`
	Name           string `json:"name,omitempty"`
	OrganizationID string `json:"organizationId,omitempty"`
	// AMR and ACR say how the user signed in (RFC 8176; OpenID PAPE).
	AMR []string `json:"amr,omitempty"`
	ACR string   `json:"acr,omitempty"`
}

func (s *Service) signIDToken(kr *keyring, m mint, access string) (string, error) {
	c := idClaims{Issuer: s.Issuer(), Subject: m.user.ID, Audience: m.client.ID, IssuedAt: m.now.Unix(),
		ExpiresAt: m.now.Add(IDTokenLifetime).Unix(), AuthTime: m.authTime.Unix(), Nonce: m.nonce,
		AtHash: oidc.AtHash(access, kr.idTokens.SigningAlg()), SessionID: m.sid, OrganizationID: m.user.PrimaryOrgID, AMR: m.amr}
	if slices.Contains(m.amr, AMRMFA) {
		c.ACR = oidc.ACRMultiFactor
	}
	if slices.Contains(m.scopes, oidc.ScopeEmail) {
		verified := m.user.EmailVerified
		c.Email, c.EmailVerified = m.user.Email, &verified
	}
	if slices.Contains(m.scopes, oidc.ScopeProfile) {
		c.Name = m.user.Name
	}
	tok, err := kr.idTokens.Sign(c, oidc.TypeJWT)
	if err != nil {
		return "", errInternal("sign ID token: %w", err)
	}
	return tok, nil
}
