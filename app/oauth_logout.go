package app

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"optare/app/oidc"
	"optare/store"
)

// LogoutRequest is an RP-initiated logout request (OpenID Connect
// RP-Initiated Logout 1.0 §2).
type LogoutRequest struct {
	IDTokenHint           string
	ClientID              string
	PostLogoutRedirectURI string
	State                 string
}

// LogoutTarget checks a logout request and returns where to send the
// browser after signing out: the post_logout_redirect_uri with state when
// it is registered for the client named by id_token_hint or client_id, or
// "" when none was asked for. An unregistered URI, a URI without a client,
// or a hint not signed by Optare is an *oidc.Error for an error page: a
// logout never redirects anywhere unregistered.
func (s *Service) LogoutTarget(ctx context.Context, req LogoutRequest) (string, error) {
	clientID := req.ClientID
	if req.IDTokenHint != "" {
		kr, err := s.keyring(ctx)
		if err != nil {
			return "", errInternal("load keys: %w", err)
		}
		// An expired ID token is still a fine hint: only its signature and
		// issuer matter here.
		var c idClaims
		if err := kr.idTokens.VerifyType(req.IDTokenHint, oidc.TypeJWT, &c); err != nil || c.Issuer != s.Issuer() {
			return "", oidc.InvalidRequest("id_token_hint is not an ID token issued by this server")
		}
		if clientID != "" && clientID != c.Audience {
			return "", oidc.InvalidRequest("client_id does not match id_token_hint")
		}
		clientID = c.Audience
	}
	if req.PostLogoutRedirectURI == "" {
		return "", nil
	}
	if clientID == "" {
		return "", oidc.InvalidRequest("post_logout_redirect_uri needs id_token_hint or client_id")
	}
	var c store.Client
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		c, err = tx.Client(ctx, clientID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || (err == nil && !c.Enabled) {
		return "", &oidc.Error{Code: oidc.CodeInvalidClient, Description: "Client not found", Status: 400}
	}
	if err != nil {
		return "", errInternal("read client: %w", err)
	}
	if !oidc.MatchRedirectURI(c.PostLogoutRedirectURIs, req.PostLogoutRedirectURI) {
		return "", oidc.InvalidRequest("post_logout_redirect_uri not registered")
	}
	target := req.PostLogoutRedirectURI
	if req.State != "" {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + url.Values{"state": {req.State}}.Encode()
	}
	return target, nil
}
