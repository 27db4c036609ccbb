package oauth_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
	optareoidc "optare/app/oidc"
	"optare/store"
)

func kidOf(t *testing.T, jwt string) string {
	t.Helper()
	var h struct {
		Kid string `json:"kid"`
	}
	b, _ := jsonB64(strings.Split(jwt, ".")[0])
	json.Unmarshal(b, &h)
	return h.Kid
}

func TestKeyRotationMidFlight(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	ctx := context.Background()
	provider, err := oidc.NewProvider(f.ctx, f.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	verifier := provider.Verifier(&oidc.Config{ClientID: f.client.ClientID, Now: f.env.Clock.Now})
	old := f.tokens()
	oldKid := kidOf(t, old.AccessToken)

	// A rotation made by another process (the CLI) on the same file.
	db, err := store.Open(ctx, f.env.Path, store.Options{Now: f.env.Clock.Now, EncryptionKey: apptest.EncryptionKey})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cli, err := app.New(db, app.Options{Now: f.env.Clock.Now, Password: apptest.FastPassword, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	epoch := f.env.DB.CacheEpoch()
	rot, err := cli.RotateKeys(ctx, app.CLI())
	if err != nil || len(rot.Published) != 2 { // RS256 and the EdDSA licence key
		t.Fatalf("rotate (publish next): %+v %v", rot, err)
	}
	if _, err := cli.RotateKeys(ctx, app.CLI()); app.AsError(err).Code != "key_not_ready" {
		t.Fatalf("promoting a fresh next key: %v", err)
	}
	serverNotices(t, f, epoch) // the server's cache epoch moves: it reloads the keys
	if n := jwksKeys(t, f); n != 2 {
		t.Fatalf("JWKS after publishing next: %d keys", n)
	}
	if kid := kidOf(t, f.tokens().AccessToken); kid != oldKid {
		t.Fatal("the next key signed before its time")
	}
	f.env.Clock.Advance(app.KeyPublishBeforeUse)
	epoch = f.env.DB.CacheEpoch()
	if rot, err = cli.RotateKeys(ctx, app.CLI()); err != nil || len(rot.Activated) != 2 || len(rot.Retired) != 2 {
		t.Fatalf("rotate (promote): %+v %v", rot, err)
	}
	serverNotices(t, f, epoch)

	fresh := f.tokens()
	if kid := kidOf(t, fresh.AccessToken); kid == oldKid || kid != rot.Activated[0].ID || rot.Activated[0].Alg != "RS256" {
		t.Fatalf("new token kid %s, want the new key %+v", kid, rot.Activated[0])
	}
	// Old tokens still verify: the retired key stays published.
	if res, _ := f.userinfo(old.AccessToken); res.StatusCode != 200 {
		t.Fatalf("old access token after rotation: %d", res.StatusCode)
	}
	if _, err := verifier.Verify(f.ctx, old.Extra("id_token").(string)); err != nil {
		t.Fatalf("old ID token after rotation: %v", err)
	}
	if _, err := verifier.Verify(f.ctx, fresh.Extra("id_token").(string)); err != nil {
		t.Fatalf("new ID token: %v", err)
	}
	// Once every token of the retired key has expired, it is unpublished.
	f.env.Clock.Advance(app.RetiredKeyPublish)
	if err := f.env.Svc.Sweep(ctx); err != nil { // the server's own write: its epoch moves at once
		t.Fatal(err)
	}
	if n := jwksKeys(t, f); n != 1 {
		t.Fatalf("JWKS after the retired key's time: %d keys", n)
	}
}

// jwksKeys counts the RS256 keys the JWKS publishes (the licence keys
// have their own, longer, publication: see the licence token tests).
func jwksKeys(t *testing.T, f *fixture) int {
	req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/.well-known/jwks.json", nil)
	_, set := f.do(req)
	keys, _ := set["keys"].([]any)
	n := 0
	for _, k := range keys {
		if k.(map[string]any)["alg"] == "RS256" {
			n++
		}
	}
	return n
}

func TestSessionVersionEndsTokens(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	tok := f.tokens()
	if err := f.env.Svc.SetPassword(context.Background(), app.CLI(), f.user.User.ID, "another-long-password"); err != nil {
		t.Fatal(err)
	}
	if res, _ := f.userinfo(tok.AccessToken); res.StatusCode != 401 {
		t.Errorf("userinfo after password change: %d", res.StatusCode)
	}
	res, body := f.post("/oauth/introspect", url.Values{"token": {tok.AccessToken}, "client_id": {f.client.ClientID},
		"client_secret": {f.client.ClientSecret}}, nil)
	if res.StatusCode != 200 || body["active"] != false {
		t.Errorf("introspect after password change: %d %v", res.StatusCode, body)
	}
	if _, err := f.conf.TokenSource(f.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err == nil {
		t.Error("refresh after password change worked")
	}
	if _, err := f.env.Svc.VerifyAccessToken(context.Background(), tok.AccessToken); app.AsError(err).Code != "invalid_token" {
		t.Errorf("VerifyAccessToken: %v", err)
	}
}

func TestConsentRememberedAndInvalidated(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	q := baseQuery(f)
	if _, _, body := authorizeStep(f, b, q); !strings.Contains(body, ">Authorize</button>") || !strings.Contains(body, ">Deny</button>") ||
		!strings.Contains(body, "Acme Dashboard") || !strings.Contains(body, "See your email address") {
		t.Fatalf("consent page:\n%s", body)
	}
	f.authorize(b, "/oauth/authorize?"+q.Encode(), "approve")
	if _, loc, _ := authorizeStep(f, b, q); callbackQuery(t, loc).Get("code") == "" {
		t.Fatal("remembered consent asked again")
	}
	q.Set("scope", "openid email profile") // a new scope asks again
	if status, _, _ := authorizeStep(f, b, q); status != 200 {
		t.Fatalf("new scope: %d", status)
	}
	f.authorize(b, "/oauth/authorize?"+q.Encode(), "approve")
	uris := []string{callback, "https://app.example.com/other"}
	if _, err := f.env.Svc.UpdateClient(context.Background(), app.CLI(), f.client.ClientID, app.ClientPatch{RedirectURIs: &uris}); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := authorizeStep(f, b, q); status != 200 {
		t.Fatalf("after a redirect URI change: %d, want the consent page", status)
	}
	apps, err := f.env.Svc.ConnectedApps(context.Background(), f.user.Actor(""))
	if err != nil || len(apps) != 1 || apps[0].ClientName != "Acme Dashboard" {
		t.Fatalf("connected apps %+v %v", apps, err)
	}
}

func TestRevokeIntrospectClientCredentials(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	creds := url.Values{"client_id": {f.client.ClientID}, "client_secret": {f.client.ClientSecret}}
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for k, vs := range creds {
			v[k] = vs
		}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tok := f.tokens()
	res, body := f.post("/oauth/introspect", form("token", tok.AccessToken), nil)
	if body["active"] != true || body["sub"] != f.user.User.ID || body["client_id"] != f.client.ClientID {
		t.Fatalf("introspect: %d %v", res.StatusCode, body)
	}
	res, body = f.post("/oauth/introspect", form("token", tok.RefreshToken), nil)
	if body["active"] != true || body["token_type"] != "refresh_token" {
		t.Fatalf("introspect refresh: %d %v", res.StatusCode, body)
	}
	if res, _ := f.post("/oauth/revoke", form("token", tok.RefreshToken), nil); res.StatusCode != 200 {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if _, body := f.post("/oauth/introspect", form("token", tok.AccessToken), nil); body["active"] != false {
		t.Errorf("access token of a revoked family: %v", body)
	}
	if res, _ := f.post("/oauth/revoke", form("token", "rt_unknown"), nil); res.StatusCode != 200 {
		t.Errorf("revoke unknown: %d", res.StatusCode)
	}

	res, body = f.post("/oauth/token", form("grant_type", "client_credentials"), nil)
	if res.StatusCode != 200 || body["refresh_token"] != nil {
		t.Fatalf("client credentials: %d %v", res.StatusCode, body)
	}
	cc := body["access_token"].(string)
	if _, body := f.post("/oauth/introspect", form("token", cc), nil); body["active"] != true || body["sub"] != f.client.ClientID {
		t.Fatalf("introspect client token: %v", body)
	}
	if res, body := f.userinfo(cc); res.StatusCode != 403 || body["error"] != "insufficient_scope" {
		t.Errorf("userinfo with a client token: %d %v", res.StatusCode, body)
	}
	f.post("/oauth/revoke", form("token", cc), nil)
	if _, body := f.post("/oauth/introspect", form("token", cc), nil); body["active"] != false {
		t.Errorf("revoked client token: %v", body)
	}
}

func TestCORS(t *testing.T) {
	f := newFixture(t, app.ClientInput{AllowedOrigins: []string{"https://app.example.com"}})
	for _, path := range []string{"/oauth/token", "/oauth/userinfo", "/oauth/revoke"} {
		req, _ := http.NewRequest(http.MethodOptions, f.ts.URL+path, nil)
		req.Header.Set("Origin", "https://app.example.com")
		req.Header.Set("Access-Control-Request-Method", "POST")
		res, _ := f.do(req)
		if res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
			!strings.Contains(res.Header.Get("Access-Control-Allow-Headers"), "DPoP") {
			t.Errorf("%s preflight (a browser app sends DPoP proofs too): %d %v", path, res.StatusCode, res.Header)
		}
		req.Header.Set("Origin", "https://evil.example")
		if res, _ := f.do(req); res.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s answered an unlisted origin", path)
		}
	}
	tok := f.tokens()
	req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/oauth/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Origin", "https://app.example.com")
	if res, _ := f.do(req); res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("userinfo CORS: %d %v", res.StatusCode, res.Header)
	}
}

func TestLogout(t *testing.T) {
	f := newFixture(t, app.ClientInput{PostLogoutRedirectURIs: []string{"https://app.example.com/bye"}})
	tok := f.tokens()
	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	idt := tok.Extra("id_token").(string)
	q := url.Values{"id_token_hint": {idt}, "post_logout_redirect_uri": {"https://evil.example/"}}
	if res, _ := b.Get("/oauth/logout?" + q.Encode()); res.StatusCode != 400 {
		t.Fatalf("unregistered post_logout_redirect_uri: %d", res.StatusCode)
	}
	q.Set("post_logout_redirect_uri", "https://app.example.com/bye")
	q.Set("state", "xyz")
	res, body := b.Get("/oauth/logout?" + q.Encode())
	if res.StatusCode != 200 {
		t.Fatalf("logout page: %d", res.StatusCode)
	}
	res, _ = b.PostForm("/oauth/logout", hiddenFields(t, body))
	if loc := res.Header.Get("Location"); loc != "https://app.example.com/bye?state=xyz" {
		t.Fatalf("after logout: %d %q", res.StatusCode, loc)
	}
	if res, _ := b.Get("/portal/dashboard"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("still signed in after logout: %d", res.StatusCode)
	}
}

func jsonB64(s string) ([]byte, error) {
	return b64.DecodeString(s)
}

func TestConnectedAppsDisconnect(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	tok := f.tokens()
	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	res, body := b.Get("/portal/oauth-clients")
	if res.StatusCode != 200 || !strings.Contains(body, "Acme Dashboard") || !strings.Contains(body, "See your email address") {
		t.Fatalf("connected apps: %d\n%s", res.StatusCode, body)
	}
	res, _ = b.PostForm("/portal/oauth-clients/"+f.client.ClientID+"/disconnect", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disconnect: %d", res.StatusCode)
	}
	if res, _ := f.userinfo(tok.AccessToken); res.StatusCode != 401 {
		t.Errorf("token after disconnect: %d", res.StatusCode)
	}
	if _, body := b.Get("/portal/oauth-clients"); strings.Contains(body, "Acme Dashboard") {
		t.Error("app still listed after disconnect")
	}
}

// serverNotices waits until the server's cache epoch has moved past since
// (another process's change is seen through cache_version: a poll on
// SQLite, LISTEN/NOTIFY on PostgreSQL). It waits
// for that event, not for a fixed time.
func serverNotices(t *testing.T, f *fixture, since uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if f.env.DB.CacheEpoch() != since {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not notice the other process's key change within 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestTokenOfAKeyTheServerHasNotLoaded: a token check verifies the
// signature with the keyring it last loaded, before its one read (which
// also reads the keys' version), so a token signed by a key another
// process promoted since must still verify (the server then loads the
// keys), and so must a token checked with a keyring the table has moved
// past.
func TestTokenOfAKeyTheServerHasNotLoaded(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	ctx := context.Background()
	old := f.tokens() // the server's keyring: the first keys
	if _, err := f.env.Svc.VerifyAccessToken(ctx, old.AccessToken); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, f.env.Path, store.Options{Now: f.env.Clock.Now, EncryptionKey: apptest.EncryptionKey})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := app.New(db, app.Options{Issuer: f.env.Svc.Issuer(), Now: f.env.Clock.Now, Password: apptest.FastPassword,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rotate := func() {
		t.Helper()
		epoch := f.env.DB.CacheEpoch()
		if _, err := other.RotateKeys(ctx, app.CLI()); err != nil {
			t.Fatal(err)
		}
		serverNotices(t, f, epoch)
	}
	rotate() // publish the next keys
	f.env.Clock.Advance(app.KeyPublishBeforeUse)
	rotate() // promote them: the server has loaded neither change
	res, err := other.Token(ctx, optareoidc.TokenRequest{GrantType: "client_credentials",
		ClientAuth: optareoidc.ClientAuth{ClientID: f.client.ClientID, ClientSecret: f.client.ClientSecret, AuthMethod: optareoidc.AuthMethodSecretPost}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if kidOf(t, res.AccessToken) == kidOf(t, old.AccessToken) {
		t.Fatal("the other process signed with the old key")
	}
	if _, err := f.env.Svc.VerifyAccessToken(ctx, res.AccessToken); err != nil {
		t.Fatalf("a token of a key the server had not loaded: %v", err)
	}
	// The keyring just loaded verifies the next token, whose read finds
	// the table moved on (next keys published): it must verify again
	// with the keys of now, and pass.
	rotate()
	res, err = other.Token(ctx, optareoidc.TokenRequest{GrantType: "client_credentials",
		ClientAuth: optareoidc.ClientAuth{ClientID: f.client.ClientID, ClientSecret: f.client.ClientSecret, AuthMethod: optareoidc.AuthMethodSecretPost}}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{res.AccessToken, old.AccessToken} {
		if _, err := f.env.Svc.VerifyAccessToken(ctx, tok); err != nil {
			t.Fatalf("a token checked with a keyring the table moved past: %v", err)
		}
	}
}
