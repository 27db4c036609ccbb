package oauth_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
)

func TestDiscoveryAndJWKS(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	for _, path := range []string{"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"} {
		req, _ := http.NewRequest(http.MethodGet, f.ts.URL+path, nil)
		res, d := f.do(req)
		if res.StatusCode != 200 || d["issuer"] != f.ts.URL || d["token_endpoint"] != f.ts.URL+"/oauth/token" ||
			d["end_session_endpoint"] != f.ts.URL+"/oauth/logout" || d["authorization_response_iss_parameter_supported"] != true {
			t.Fatalf("%s: %d %v", path, res.StatusCode, d)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/.well-known/jwks.json", nil)
	res, set := f.do(req)
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("JWKS Cache-Control %q", cc)
	}
	keys, _ := set["keys"].([]any)
	if len(keys) != 2 { // RS256 for tokens, EdDSA for licence tokens
		t.Fatalf("JWKS %v", set)
	}
	k, lk := keys[0].(map[string]any), keys[1].(map[string]any)
	if k["alg"] != "RS256" {
		k, lk = lk, k
	}
	if k["kid"] == "" || k["use"] != "sig" || k["alg"] != "RS256" || k["kty"] != "RSA" {
		t.Errorf("key %v", k)
	}
	if lk["kid"] == "" || lk["use"] != "sig" || lk["alg"] != "EdDSA" || lk["kty"] != "OKP" || lk["crv"] != "Ed25519" {
		t.Errorf("licence key %v", lk)
	}
	if _, err := oidc.NewProvider(f.ctx, f.ts.URL); err != nil {
		t.Fatalf("go-oidc provider: %v", err)
	}
}

func TestCodeFlowPKCE(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	provider, err := oidc.NewProvider(f.ctx, f.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBrowser(t, f.ts)
	code, verifier := f.code(b, oidc.Nonce("n-0S6_WzA2Mj"))
	tok, err := f.conf.Exchange(f.ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if tok.TokenType != "Bearer" || tok.RefreshToken == "" || tok.Extra("scope") != "openid email profile" {
		t.Fatalf("token %+v scope %v", tok, tok.Extra("scope"))
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := provider.Verifier(&oidc.Config{ClientID: f.client.ClientID, Now: f.env.Clock.Now}).Verify(f.ctx, rawID)
	if err != nil {
		t.Fatalf("verify ID token: %v", err)
	}
	if idt.Nonce != "n-0S6_WzA2Mj" || idt.Subject != f.user.User.ID {
		t.Errorf("ID token nonce %q sub %q", idt.Nonce, idt.Subject)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Errorf("at_hash: %v", err)
	}
	var claims struct {
		AuthTime int64  `json:"auth_time"`
		SID      string `json:"sid"`
		Email    string `json:"email"`
		Name     string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil || claims.AuthTime == 0 || claims.SID == "" || claims.Email != "ada@example.com" || claims.Name == "" {
		t.Errorf("ID token claims %+v %v", claims, err)
	}

	// Userinfo through go-oidc, and in the guide's raw shape.
	ui, err := provider.UserInfo(f.ctx, oauth2.StaticTokenSource(tok))
	if err != nil || ui.Subject != f.user.User.ID || ui.Email != "ada@example.com" {
		t.Fatalf("userinfo %+v %v", ui, err)
	}
	res, body := f.userinfo(tok.AccessToken)
	if res.StatusCode != 200 || body["organizationId"] != f.user.Org.ID || body["email_verified"] != false || body["name"] == "" {
		t.Fatalf("userinfo %d %v", res.StatusCode, body)
	}
	if p, ok := body["products"].([]any); !ok || len(p) != 0 {
		t.Errorf("products %v", body["products"])
	}

	// Access token claims (RFC 9068).
	parts := strings.Split(tok.AccessToken, ".")
	var at map[string]any
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	json.Unmarshal(payload, &at)
	for _, c := range []string{"iss", "sub", "aud", "client_id", "scope", "jti", "iat", "exp", "organizationId", "products"} {
		if _, ok := at[c]; !ok {
			t.Errorf("access token lacks %s: %v", c, at)
		}
	}

	// Refresh with rotation: a new refresh token; the old one is now reuse.
	next, err := f.conf.TokenSource(f.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil || next.RefreshToken == "" || next.RefreshToken == tok.RefreshToken || next.AccessToken == tok.AccessToken {
		t.Fatalf("refresh: %+v %v", next, err)
	}
	if res, _ := f.userinfo(next.AccessToken); res.StatusCode != 200 {
		t.Fatalf("userinfo after refresh: %d", res.StatusCode)
	}
}

// The guide's token request: client_id and client_secret in the POST body,
// as a form and as the JSON its Node example sends.
func TestGuideTokenRequest(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	for _, asJSON := range []bool{false, true} {
		code, verifier := f.code(apptest.NewBrowser(t, f.ts))
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {f.client.ClientID},
			"client_secret": {f.client.ClientSecret}, "redirect_uri": {callback}, "code_verifier": {verifier}}
		req, _ := http.NewRequest(http.MethodPost, f.ts.URL+"/oauth/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if asJSON {
			m := map[string]string{}
			for k := range form {
				m[k] = form.Get(k)
			}
			b, _ := json.Marshal(m)
			req, _ = http.NewRequest(http.MethodPost, f.ts.URL+"/oauth/token", strings.NewReader(string(b)))
			req.Header.Set("Content-Type", "application/json")
		}
		res, body := f.do(req)
		if res.StatusCode != 200 || body["token_type"] != "Bearer" || body["expires_in"] != float64(3600) ||
			!strings.HasPrefix(body["refresh_token"].(string), "rt_") || body["scope"] != "openid email profile" {
			t.Fatalf("json=%v: %d %v", asJSON, res.StatusCode, body)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
		}
	}
}
