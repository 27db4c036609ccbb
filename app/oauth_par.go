package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"optare/app/oidc"
	"optare/store"
)

// Pushed authorization request figures (RFC 9126).
const (
	// PARLifetime is how long a request_uri waits for its first visit.
	PARLifetime = 60 * time.Second
	// parAuthorizeWindow is how long a visited request may take to end
	// (the user signing in and deciding).
	parAuthorizeWindow = 10 * time.Minute
)

// PushAuthorizationRequest stores an authorization request pushed by an
// authenticated client (RFC 9126 §2) and returns its request_uri, usable
// once within PARLifetime at the authorization endpoint. The request is
// checked as the authorization endpoint would, up to the user: redirect
// URI, grant, PKCE and allowed scopes; a refusal is a JSON error.
func (s *Service) PushAuthorizationRequest(ctx context.Context, auth oidc.ClientAuth, params url.Values, ip string) (oidc.PARResponse, error) {
	c, err := s.authenticateClient(ctx, auth, ip)
	if err != nil {
		return oidc.PARResponse{}, err
	}
	req, _ := oidc.ParseAuthorizeRequest(params) // checked by the door
	switch {
	case req.RedirectURI == "":
		return oidc.PARResponse{}, oidc.InvalidRequest("missing redirect_uri")
	case !matchRedirect(c, req.RedirectURI):
		return oidc.PARResponse{}, oidc.InvalidRequest("redirect_uri not registered")
	}
	if _, e := s.checkAuthorizeClient(ctx, c, req); e != nil {
		return oidc.PARResponse{}, e
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return oidc.PARResponse{}, errInternal("encode pushed request: %w", err)
	}
	requestURI := oidc.RequestURIPrefix + newSecret("")
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertPushedRequest(ctx, store.PushedRequest{Hash: oidc.HashSecret(requestURI), ClientID: c.ID,
			Params: string(raw), CreatedAt: tx.Now, ExpiresAt: tx.Now.Add(PARLifetime)})
	})
	if err != nil {
		return oidc.PARResponse{}, errInternal("insert pushed request: %w", err)
	}
	return oidc.PARResponse{RequestURI: requestURI, ExpiresIn: int(PARLifetime / time.Second)}, nil
}

// checkAuthorizeClient applies the client's rules to an authorization
// request (pushed or not): the grant, PKCE and allowed scopes. It returns
// the products the scopes name.
func (s *Service) checkAuthorizeClient(ctx context.Context, c store.Client, req oidc.AuthorizeRequest) ([]store.ScopeProduct, *oidc.Error) {
	if !hasGrant(c, oidc.GrantAuthorizationCode) {
		return nil, oidc.UnauthorizedClient("this client may not use the authorization code flow")
	}
	if req.CodeChallenge == "" && (c.Public || c.RequirePKCE) {
		return nil, oidc.InvalidRequest("code_challenge required: this client must use PKCE")
	}
	// OAuth 2.1: a public client's challenge must be S256; plain stays for
	// confidential clients, which also prove themselves with their secret.
	if c.Public && req.CodeChallengeMethod != oidc.PKCEMethodS256 {
		return nil, oidc.InvalidRequest("code_challenge_method must be S256 for a public client")
	}
	if len(req.Scopes) == 0 {
		return nil, oidc.InvalidRequest("missing scope")
	}
	return s.scopeProducts(ctx, c, req.Scopes)
}

// PushedRequest returns the parameters of a pushed request for the
// authorization endpoint: the request_uri must be one this server issued
// to clientID, unexpired and not yet used. Its first visit gives it
// parAuthorizeWindow to end, since the user may have to sign in. Anything
// else is invalid_request_uri, shown on an error page (the redirect URI is
// not known to be trusted).
func (s *Service) PushedRequest(ctx context.Context, clientID, requestURI string) (url.Values, error) {
	refused := &oidc.Error{Code: oidc.CodeInvalidRequestURI, Description: "the request_uri is unknown, expired or used", Status: 400}
	if !strings.HasPrefix(requestURI, oidc.RequestURIPrefix) || clientID == "" {
		return nil, refused
	}
	hash := oidc.HashSecret(requestURI)
	var p store.PushedRequest
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if p, err = tx.PushedRequest(ctx, hash); err != nil {
			return err
		}
		if p.ClaimedAt.IsZero() && tx.Now.Before(p.ExpiresAt) {
			p.ExpiresAt = tx.Now.Add(parAuthorizeWindow)
			return tx.ClaimPushedRequest(ctx, hash, p.ExpiresAt)
		}
		return nil
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, refused
	case err != nil:
		return nil, errInternal("read pushed request: %w", err)
	case p.ClientID != clientID || !p.UsedAt.IsZero() || !s.now().Before(p.ExpiresAt):
		return nil, refused
	}
	var params url.Values
	if err := json.Unmarshal([]byte(p.Params), &params); err != nil {
		return nil, errInternal("decode pushed request: %w", err)
	}
	return params, nil
}
