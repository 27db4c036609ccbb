package oauth_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
)

// authorizeStep requests path with a signed-in browser and returns the
// status, the redirect (if any) and the body.
func authorizeStep(f *fixture, b *apptest.Browser, q url.Values) (int, string, string) {
	f.t.Helper()
	res, body := b.Get("/oauth/authorize?" + q.Encode())
	return res.StatusCode, res.Header.Get("Location"), body
}

func baseQuery(f *fixture) url.Values {
	return url.Values{"client_id": {f.client.ClientID}, "redirect_uri": {callback}, "response_type": {"code"},
		"scope": {"openid email"}, "state": {"s1"}}
}

func TestAuthorizeErrors(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	pub, err := f.env.Svc.CreateClient(context.Background(), app.CLI(), app.ClientInput{Name: "SPA", Public: true,
		RedirectURIs: []string{callback}, AllowedScopes: []string{"openid", "pro-suite"}})
	if err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	pages := []struct {
		name string
		edit func(url.Values)
	}{
		{"unknown client", func(q url.Values) { q.Set("client_id", "client_nope") }},
		{"missing client", func(q url.Values) { q.Del("client_id") }},
		{"unregistered redirect", func(q url.Values) { q.Set("redirect_uri", callback+"/") }},
		{"missing redirect", func(q url.Values) { q.Del("redirect_uri") }},
		{"duplicated redirect", func(q url.Values) { q.Add("redirect_uri", callback) }},
	}
	for _, tt := range pages {
		t.Run(tt.name, func(t *testing.T) {
			q := baseQuery(f)
			tt.edit(q)
			status, loc, body := authorizeStep(f, b, q)
			if status != http.StatusBadRequest || loc != "" || !strings.Contains(body, "cannot be completed") {
				t.Fatalf("got %d %q, want an error page", status, loc)
			}
		})
	}
	redirects := []struct {
		name string
		edit func(url.Values)
		code string
	}{
		{"unsupported response_type", func(q url.Values) { q.Set("response_type", "token") }, "unsupported_response_type"},
		{"missing response_type", func(q url.Values) { q.Del("response_type") }, "invalid_request"},
		{"duplicated scope", func(q url.Values) { q.Add("scope", "openid") }, "invalid_request"},
		{"scope not allowed", func(q url.Values) { q.Set("scope", "openid pro-suite") }, "invalid_scope"},
		{"unknown scope", func(q url.Values) { q.Set("scope", "openid admin") }, "invalid_scope"},
		{"bad challenge method", func(q url.Values) {
			q.Set("code_challenge", strings.Repeat("a", 43))
			q.Set("code_challenge_method", "S512")
		}, "invalid_request"},
		{"public client without PKCE", func(q url.Values) { q.Set("client_id", pub.ClientID); q.Set("scope", "openid") }, "invalid_request"},
		{"product scope without access", func(q url.Values) {
			q.Set("client_id", pub.ClientID)
			q.Set("scope", "openid pro-suite")
			q.Set("code_challenge", oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier()))
			q.Set("code_challenge_method", "S256")
		}, "invalid_scope"},
	}
	for _, tt := range redirects {
		t.Run(tt.name, func(t *testing.T) {
			q := baseQuery(f)
			tt.edit(q)
			status, loc, _ := authorizeStep(f, b, q)
			if status != http.StatusSeeOther || !strings.HasPrefix(loc, callback+"?") {
				t.Fatalf("got %d %q, want a redirect to the client", status, loc)
			}
			got := callbackQuery(t, loc)
			if got.Get("error") != tt.code || got.Get("state") != "s1" || got.Get("iss") != f.ts.URL || got.Get("error_description") == "" {
				t.Fatalf("redirect query %v, want error %s", got, tt.code)
			}
		})
	}
}

func TestPromptAndMaxAge(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	anon := apptest.NewBrowser(t, f.ts)
	q := baseQuery(f)
	q.Set("prompt", "none")
	if _, loc, _ := authorizeStep(f, anon, q); callbackQuery(t, loc).Get("error") != "login_required" {
		t.Fatalf("prompt=none without session: %q", loc)
	}
	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	if _, loc, _ := authorizeStep(f, b, q); callbackQuery(t, loc).Get("error") != "consent_required" {
		t.Fatalf("prompt=none without consent: %q", loc)
	}
	// After consent, prompt=none succeeds silently.
	f.authorize(b, "/oauth/authorize?"+baseQuery(f).Encode(), "approve")
	if _, loc, _ := authorizeStep(f, b, q); callbackQuery(t, loc).Get("code") == "" {
		t.Fatalf("prompt=none with consent: %q", loc)
	}
	// prompt=login and an exceeded max_age send the user to sign in again,
	// then back without asking twice.
	for _, edit := range []func(url.Values){
		func(q url.Values) { q.Set("prompt", "login") },
		func(q url.Values) { q.Set("max_age", "60") },
	} {
		q := baseQuery(f)
		edit(q)
		f.env.Clock.Advance(2 * time.Minute)
		_, loc, _ := authorizeStep(f, b, q)
		if !strings.HasPrefix(loc, "/login?") || !strings.Contains(loc, "prompt=login") {
			t.Fatalf("got %q, want the sign-in page", loc)
		}
		if got := f.authorize(b, "/oauth/authorize?"+q.Encode(), "approve"); got.Get("code") == "" {
			t.Fatalf("after signing in again: %v", got)
		}
	}
	// Deny lands on the callback with access_denied.
	q = baseQuery(f)
	q.Set("prompt", "consent")
	if got := f.authorize(b, "/oauth/authorize?"+q.Encode(), "deny"); got.Get("error") != "access_denied" || got.Get("state") != "s1" {
		t.Fatalf("deny: %v", got)
	}
}

func TestTokenErrors(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	ctx := context.Background()
	secret := url.Values{"client_id": {f.client.ClientID}, "client_secret": {f.client.ClientSecret}}
	with := func(extra url.Values) url.Values {
		out := url.Values{}
		for k, v := range secret {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	b := apptest.NewBrowser(t, f.ts)

	t.Run("wrong secret", func(t *testing.T) {
		res, body := f.post("/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {f.client.ClientID}, "client_secret": {"cs_wrong"}}, nil)
		wantOAuthError(t, res, body, 401, "invalid_client")
		if res.Header.Get("WWW-Authenticate") == "" {
			t.Error("no WWW-Authenticate")
		}
		page, _ := f.env.Svc.ListAudit(ctx, app.CLI(), app.AuditQuery{Action: "client.auth_failed"})
		if len(page.Entries) != 1 || page.Entries[0].Outcome != "failure" {
			t.Errorf("audit %+v", page.Entries)
		}
	})
	t.Run("unknown client", func(t *testing.T) {
		res, body := f.post("/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"client_x"}, "client_secret": {"x"}}, nil)
		wantOAuthError(t, res, body, 401, "invalid_client")
	})
	t.Run("duplicated parameter", func(t *testing.T) {
		form := with(url.Values{"grant_type": {"client_credentials", "client_credentials"}})
		res, body := f.post("/oauth/token", form, nil)
		wantOAuthError(t, res, body, 400, "invalid_request")
	})
	t.Run("unsupported grant", func(t *testing.T) {
		res, body := f.post("/oauth/token", with(url.Values{"grant_type": {"password"}}), nil)
		wantOAuthError(t, res, body, 400, "unsupported_grant_type")
	})
	t.Run("missing or wrong verifier", func(t *testing.T) {
		code, verifier := f.code(b)
		res, body := f.post("/oauth/token", with(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback}}), nil)
		wantOAuthError(t, res, body, 400, "invalid_grant")
		res, body = f.post("/oauth/token", with(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback}, "code_verifier": {verifier + "x"}}), nil)
		wantOAuthError(t, res, body, 400, "invalid_grant")
		// A refused attempt wrote nothing: the code still works.
		if _, err := f.conf.Exchange(f.ctx, code, oauth2.VerifierOption(verifier)); err != nil {
			t.Fatalf("exchange after refused attempts: %v", err)
		}
	})
	t.Run("redirect_uri must match", func(t *testing.T) {
		code, verifier := f.code(b)
		res, body := f.post("/oauth/token", with(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier}}), nil)
		wantOAuthError(t, res, body, 400, "invalid_grant")
	})
	t.Run("code replay revokes", func(t *testing.T) {
		code, verifier := f.code(b)
		tok, err := f.conf.Exchange(f.ctx, code, oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.conf.Exchange(f.ctx, code, oauth2.VerifierOption(verifier))
		if re, ok := err.(*oauth2.RetrieveError); !ok || re.ErrorCode != "invalid_grant" {
			t.Fatalf("replay: %v", err)
		}
		if res, _ := f.userinfo(tok.AccessToken); res.StatusCode != 401 {
			t.Errorf("access token after replay: %d", res.StatusCode)
		}
		if _, err := f.conf.TokenSource(f.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err == nil {
			t.Error("refresh token survived the replay")
		}
	})
	t.Run("expired code", func(t *testing.T) {
		code, verifier := f.code(b)
		f.env.Clock.Advance(app.CodeLifetime + time.Second)
		_, err := f.conf.Exchange(f.ctx, code, oauth2.VerifierOption(verifier))
		if re, ok := err.(*oauth2.RetrieveError); !ok || re.ErrorCode != "invalid_grant" || !strings.Contains(re.ErrorDescription, "expired") {
			t.Fatalf("expired code: %v", err)
		}
		// Still "expired" once the sweep has deleted the code.
		code, verifier = f.code(b)
		f.env.Clock.Advance(app.CodeLifetime + time.Second)
		if err := f.env.Svc.Sweep(f.ctx); err != nil {
			t.Fatal(err)
		}
		_, err = f.conf.Exchange(f.ctx, code, oauth2.VerifierOption(verifier))
		if re, ok := err.(*oauth2.RetrieveError); !ok || re.ErrorCode != "invalid_grant" || re.ErrorDescription != "Authorization code is invalid or has expired" {
			t.Fatalf("swept code: %v", err)
		}
	})
	t.Run("refresh reuse revokes the family", func(t *testing.T) {
		tok := f.tokens()
		next, err := f.conf.TokenSource(f.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		if err != nil {
			t.Fatal(err)
		}
		res, body := f.post("/oauth/token", with(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}), nil)
		wantOAuthError(t, res, body, 400, "invalid_grant")
		res, body = f.post("/oauth/token", with(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {next.RefreshToken}}), nil)
		wantOAuthError(t, res, body, 400, "invalid_grant")
		if res, _ := f.userinfo(next.AccessToken); res.StatusCode != 401 {
			t.Errorf("access token of a revoked family: %d", res.StatusCode)
		}
		page, _ := f.env.Svc.ListAudit(ctx, app.CLI(), app.AuditQuery{Action: "token.reuse_detected"})
		if len(page.Entries) != 1 {
			t.Errorf("reuse audit entries: %d", len(page.Entries))
		}
	})
	t.Run("disabled client", func(t *testing.T) {
		if _, err := f.env.Svc.SetClientEnabled(ctx, app.CLI(), f.client.ClientID, false); err != nil {
			t.Fatal(err)
		}
		defer f.env.Svc.SetClientEnabled(ctx, app.CLI(), f.client.ClientID, true)
		res, body := f.post("/oauth/token", with(url.Values{"grant_type": {"client_credentials"}}), nil)
		wantOAuthError(t, res, body, 401, "invalid_client")
	})
	t.Run("garbage bearer", func(t *testing.T) {
		for _, tok := range []string{"garbage", "a.b.c", strings.Repeat("x", 20000)} {
			res, body := f.userinfo(tok)
			wantOAuthError(t, res, body, 401, "invalid_token")
			if h := res.Header.Get("WWW-Authenticate"); !strings.Contains(h, `error="invalid_token"`) {
				t.Errorf("WWW-Authenticate %q", h)
			}
		}
	})
}
