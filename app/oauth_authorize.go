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

// AuthSession is the signed-in browser session an authorization request
// arrives with.
type AuthSession struct {
	UserID         string
	SessionVersion int
	// AuthTime is when the user last entered their password; ID is the
	// session's OIDC "sid".
	AuthTime time.Time
	ID       string
	// Email names the user in the audit log.
	Email string
	// AMR lists how the user signed in (AMRPassword, AMROTP, AMRMFA, …).
	AMR []string
}

// AuthorizeStep is what the authorization endpoint does next.
type AuthorizeStep int

// The steps of an authorization request.
const (
	// StepRedirect sends the browser back to the client (RedirectURL holds
	// a code or an error).
	StepRedirect AuthorizeStep = iota
	// StepLogin sends the browser to sign in (again) and back.
	StepLogin
	// StepConsent shows the consent screen (Consent).
	StepConsent
)

// Consent decisions posted from the consent screen.
const (
	DecisionApprove = "approve"
	DecisionDeny    = "deny"
)

// AuthorizeInput is one authorization request as the door received it.
type AuthorizeInput struct {
	Request oidc.AuthorizeRequest
	// ParseError is a redirectable error from oidc.ParseAuthorizeRequest:
	// it is sent to the client once the client and redirect URI check out.
	ParseError *oidc.Error
	// Session is nil when the browser is not signed in.
	Session *AuthSession
	// Decision is "" on a visit, DecisionApprove or DecisionDeny when the
	// consent form comes back.
	Decision string
	IP       string
	// RequestURI is the pushed request (RFC 9126) the door expanded into
	// Request with PushedRequest; "" for a plain request. Ending the
	// request uses it up.
	RequestURI string
}

// AuthorizeResult is the outcome of Authorize.
type AuthorizeResult struct {
	Step        AuthorizeStep
	RedirectURL string
	Consent     ConsentPrompt
}

// Authorize runs the authorization code flow (SPEC §5) for one request. An
// unknown or disabled client or a missing or unregistered redirect URI is
// returned as an *oidc.Error for the door to show on an error page, never
// redirected; every other refusal is a StepRedirect to the client carrying
// error, error_description, state and iss. Only an approved consent and the
// issued code are written.
func (s *Service) Authorize(ctx context.Context, in AuthorizeInput) (AuthorizeResult, error) {
	req := in.Request
	client, err := s.authorizeClient(ctx, req)
	if err != nil {
		return AuthorizeResult{}, err
	}
	fail := func(e *oidc.Error) (AuthorizeResult, error) {
		s.RecordOAuthFailure("authorize", e.Code)
		return AuthorizeResult{Step: StepRedirect, RedirectURL: oidc.RedirectURL(req.RedirectURI, e, req.State, s.Issuer())}, nil
	}
	if in.ParseError != nil {
		return fail(in.ParseError)
	}
	if client.RequirePAR && in.RequestURI == "" {
		return fail(oidc.InvalidRequest("this client must push its authorization requests (PAR)"))
	}
	products, e := s.checkAuthorizeClient(ctx, client, req)
	if e != nil {
		return fail(e)
	}
	sess := in.Session
	e = s.checkLogin(req, sess, in.Decision)
	if e == nil {
		e = s.checkFactors(ctx, req, sess)
	}
	if e != nil {
		if req.HasPrompt(oidc.PromptNone) {
			return fail(e)
		}
		return AuthorizeResult{Step: StepLogin}, nil
	}
	if e := s.checkProductAccess(ctx, sess.UserID, products); e != nil {
		return fail(e)
	}
	switch in.Decision {
	case DecisionDeny:
		if in.RequestURI != "" {
			if err := s.db.Write(ctx, func(tx *store.Tx) error { return usePushed(ctx, tx, client, in.RequestURI) }); err != nil {
				return AuthorizeResult{}, err
			}
		}
		s.auditFailure(ctx, sess.actor(in.IP), AuditRecord{Action: "consent.denied",
			TargetType: "client", TargetID: client.ID, OrgID: client.OrgID, Details: map[string]any{"scopes": req.Scopes}})
		return fail(oidc.AccessDenied("the user denied the request"))
	case DecisionApprove:
		return s.issueCode(ctx, client, in, true)
	}
	need, err := s.needsConsent(ctx, client, req, sess.UserID)
	if err != nil {
		return AuthorizeResult{}, err
	}
	if !need {
		return s.issueCode(ctx, client, in, false)
	}
	if req.HasPrompt(oidc.PromptNone) {
		return fail(oidc.ConsentRequired("the user has not yet allowed this client"))
	}
	return AuthorizeResult{Step: StepConsent, Consent: consentPrompt(client, req.Scopes, products)}, nil
}

// authorizeClient checks the client and the redirect URI, the two things
// that must hold before any error may be redirected.
func (s *Service) authorizeClient(ctx context.Context, req oidc.AuthorizeRequest) (store.Client, error) {
	var c store.Client
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		c, err = tx.Client(ctx, req.ClientID)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return c, &oidc.Error{Code: oidc.CodeInvalidClient, Description: "Client not found", Status: 400}
	case err != nil:
		return c, errInternal("read client: %w", err)
	case !c.Enabled:
		return c, &oidc.Error{Code: oidc.CodeInvalidClient, Description: "Client is disabled", Status: 400}
	case req.RedirectURI == "":
		return c, oidc.InvalidRequest("missing redirect_uri")
	case !matchRedirect(c, req.RedirectURI):
		return c, oidc.InvalidRequest("redirect_uri not registered")
	}
	return c, nil
}

// matchRedirect compares a redirect URI exactly, except that a public
// (native) client's loopback IP redirect URIs accept any port (RFC 8252
// §7.3).
func matchRedirect(c store.Client, uri string) bool {
	if c.Public {
		return oidc.MatchNativeRedirectURI(c.RedirectURIs, uri)
	}
	return oidc.MatchRedirectURI(c.RedirectURIs, uri)
}

// checkLogin reports why the session cannot be used as it is: none at all,
// prompt=login on a visit (not on the consent form coming back), or an
// authentication older than max_age.
func (s *Service) checkLogin(req oidc.AuthorizeRequest, sess *AuthSession, decision string) *oidc.Error {
	switch {
	case sess == nil:
		return oidc.LoginRequired("the user is not signed in")
	case req.HasPrompt(oidc.PromptLogin) && decision == "":
		return oidc.LoginRequired("prompt=login asks for a new sign-in")
	case req.MaxAge != nil && s.now().Sub(sess.AuthTime) > time.Duration(*req.MaxAge)*time.Second:
		return oidc.LoginRequired("the sign-in is older than max_age")
	}
	return nil
}

// checkFactors asks for a sign-in with two factors when the session had
// one and either the user's organization requires two, or the client asked
// for them (acr_values) and the user has a second factor to give.
func (s *Service) checkFactors(ctx context.Context, req oidc.AuthorizeRequest, sess *AuthSession) *oidc.Error {
	if slices.Contains(sess.AMR, AMRMFA) {
		return nil
	}
	acc, err := s.AccountByID(ctx, sess.UserID)
	if err != nil {
		return oidc.LoginRequired("the user is not signed in")
	}
	if acc.MFARequired || (acc.HasSecondFactor && req.WantsACR(oidc.ACRMultiFactor)) {
		return oidc.LoginRequired("a sign-in with two factors is required")
	}
	return nil
}

// issueCode records consent when the user just gave it and stores a new
// authorization code bound to the client, redirect URI, PKCE challenge and
// session; it returns the redirect carrying the code.
func (s *Service) issueCode(ctx context.Context, c store.Client, in AuthorizeInput, consented bool) (AuthorizeResult, error) {
	req, sess, ip := in.Request, in.Session, in.IP
	code, grantID := newSecret("ac_"), newID("grant_")
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if in.RequestURI != "" {
			if err := usePushed(ctx, tx, c, in.RequestURI); err != nil {
				return err
			}
		}
		if consented {
			if err := s.recordConsent(ctx, tx, c, sess.actor(ip), req.Scopes); err != nil {
				return err
			}
		}
		err := tx.InsertCode(ctx, store.Code{Hash: oidc.HashSecret(code), GrantID: grantID, ClientID: c.ID,
			UserID: sess.UserID, RedirectURI: req.RedirectURI, Scopes: oidc.JoinScope(req.Scopes), Nonce: req.Nonce,
			CodeChallenge: req.CodeChallenge, CodeChallengeMethod: req.CodeChallengeMethod, SessionID: sess.ID,
			AuthTime: sess.AuthTime, SessionVersion: sess.SessionVersion, CreatedAt: tx.Now, ExpiresAt: tx.Now.Add(CodeLifetime)})
		if err != nil {
			return errInternal("insert code: %w", err)
		}
		if err := tx.PutGrantAuthMethods(ctx, grantID, strings.Join(sess.AMR, " ")); err != nil {
			return errInternal("record auth methods: %w", err)
		}
		return nil
	})
	if err != nil {
		return AuthorizeResult{}, err
	}
	return AuthorizeResult{Step: StepRedirect, RedirectURL: oidc.CodeRedirectURL(req.RedirectURI, code, req.State, s.Issuer())}, nil
}

// usePushed uses up a pushed request as its authorization ends; a second
// end (a replayed consent form) is refused.
func usePushed(ctx context.Context, tx *store.Tx, c store.Client, requestURI string) error {
	err := tx.UsePushedRequest(ctx, oidc.HashSecret(requestURI), c.ID)
	if errors.Is(err, store.ErrNotFound) {
		return &oidc.Error{Code: oidc.CodeInvalidRequestURI, Description: "the request_uri is unknown, expired or used", Status: 400}
	}
	if err != nil {
		return errInternal("use pushed request: %w", err)
	}
	return nil
}

// scopeProducts checks that every requested scope is allowed for the
// client and is a standard scope or a product, and returns the products.
func (s *Service) scopeProducts(ctx context.Context, c store.Client, scopes []string) ([]store.ScopeProduct, *oidc.Error) {
	var slugs []string
	for _, sc := range scopes {
		if !slices.Contains(c.AllowedScopes, sc) {
			return nil, oidc.InvalidScope("Requested scope not allowed")
		}
		if !slices.Contains(defaultClientScopes, sc) {
			slugs = append(slugs, sc)
		}
	}
	var products []store.ScopeProduct
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		products, err = tx.ScopeProducts(ctx, slugs)
		return err
	})
	if err != nil {
		s.log.ErrorContext(ctx, "read scope products", "err", err)
		return nil, oidc.ServerError("")
	}
	if len(products) != len(slugs) {
		return nil, oidc.InvalidScope("Requested scope not allowed")
	}
	return products, nil
}

// checkProductAccess requires that the user can use every product scope now.
func (s *Service) checkProductAccess(ctx context.Context, userID string, products []store.ScopeProduct) *oidc.Error {
	if len(products) == 0 {
		return nil
	}
	have, err := s.UserProducts(ctx, userID)
	if err != nil {
		s.log.ErrorContext(ctx, "read user products", "err", err)
		return oidc.ServerError("")
	}
	for _, p := range products {
		if !slices.ContainsFunc(have, func(a ProductAccess) bool { return a.ID == p.ID }) {
			return oidc.InvalidScope("Requested scope not allowed")
		}
	}
	return nil
}

// actor is the signed-in user of the session as the audit log names them.
func (sess *AuthSession) actor(ip string) Actor {
	return Actor{Kind: ActorUser, ID: sess.UserID, Label: sess.Email, IP: ip}
}
