package oauth_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
)

// push sends a pushed authorization request with the client's secret in
// HTTP Basic and returns the answer.
func (f *fixture) push(params url.Values) (*http.Response, map[string]any) {
	f.t.Helper()
	h := http.Header{"Authorization": {"Basic " + b64std(url.QueryEscape(f.client.ClientID)+":"+url.QueryEscape(f.client.ClientSecret))}}
	return f.post("/oauth/par", params, h)
}

func (f *fixture) parParams(verifier string, extra ...string) url.Values {
	v := url.Values{"response_type": {"code"}, "redirect_uri": {callback}, "scope": {"openid email"}, "state": {"st-1"},
		"code_challenge": {oauth2.S256ChallengeFromVerifier(verifier)}, "code_challenge_method": {"S256"}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

func authorizeURI(f *fixture, requestURI string) string {
	return f.ts.URL + "/oauth/authorize?" + url.Values{"client_id": {f.client.ClientID}, "request_uri": {requestURI}}.Encode()
}

// TestPAR: a pushed request is used by request_uri at the authorization
// endpoint, through sign-in (even with prompt=login) and consent, once.
func TestPAR(t *testing.T) {
	f := newFixture(t, app.ClientInput{RequirePAR: true})
	verifier := oauth2.GenerateVerifier()
	res, body := f.push(f.parParams(verifier, "prompt", "login"))
	uri, _ := body["request_uri"].(string)
	if res.StatusCode != http.StatusCreated || !strings.HasPrefix(uri, "urn:ietf:params:oauth:request_uri:") || body["expires_in"] != float64(60) {
		t.Fatalf("push: %d %v", res.StatusCode, body)
	}
	b := apptest.NewBrowser(t, f.ts)
	q := f.authorize(b, authorizeURI(f, uri), "approve")
	if q.Get("code") == "" || q.Get("state") != "st-1" {
		t.Fatalf("callback %v", q)
	}
	tok, err := f.conf.Exchange(f.ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil || tok.Extra("scope") != "openid email" {
		t.Fatalf("exchange: %v", err)
	}
	// Used once: the same request_uri is refused, on an error page.
	res2, page := b.Get(strings.TrimPrefix(authorizeURI(f, uri), f.ts.URL))
	if res2.StatusCode != http.StatusBadRequest || !strings.Contains(page, "invalid_request_uri") {
		t.Fatalf("reused request_uri: %d", res2.StatusCode)
	}
	// This client must push: a plain request goes back with an error.
	q = f.authorize(b, f.conf.AuthCodeURL("st-2", oauth2.S256ChallengeOption(verifier)), "approve")
	if q.Get("error") != "invalid_request" || !strings.Contains(q.Get("error_description"), "PAR") {
		t.Fatalf("plain request for a require-PAR client: %v", q)
	}
	// Expired: 60 seconds to the first visit.
	_, body = f.push(f.parParams(verifier))
	f.env.Clock.Advance(61 * time.Second)
	if res2, _ := b.Get(strings.TrimPrefix(authorizeURI(f, body["request_uri"].(string)), f.ts.URL)); res2.StatusCode != http.StatusBadRequest {
		t.Fatalf("expired request_uri: %d", res2.StatusCode)
	}
	// Another client cannot use it.
	_, body = f.push(f.parParams(verifier))
	other, err := f.env.Svc.CreateClient(f.ctx, app.CLI(), app.ClientInput{Name: "Other", RedirectURIs: []string{callback}})
	if err != nil {
		t.Fatal(err)
	}
	u := "/oauth/authorize?" + url.Values{"client_id": {other.ClientID}, "request_uri": {body["request_uri"].(string)}}.Encode()
	if res2, _ := b.Get(u); res2.StatusCode != http.StatusBadRequest {
		t.Fatalf("request_uri of another client: %d", res2.StatusCode)
	}
}

// TestPARRefusals: the PAR endpoint authenticates like the token endpoint
// and checks the request as the authorization endpoint would.
func TestPARRefusals(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	v := oauth2.GenerateVerifier()
	res, body := f.post("/oauth/par", f.parParams(v), http.Header{"Authorization": {"Basic " + b64std(f.client.ClientID+":wrong")}})
	wantOAuthError(t, res, body, http.StatusUnauthorized, "invalid_client")
	for name, p := range map[string]url.Values{
		"request_uri pushed":    f.parParams(v, "request_uri", "urn:x"),
		"unregistered redirect": f.parParams(v, "redirect_uri", "https://evil.example/cb"),
		"no redirect":           f.parParams(v, "redirect_uri", ""),
		"bad response_type":     f.parParams(v, "response_type", "token"),
	} {
		res, body := f.push(p)
		if res.StatusCode != http.StatusBadRequest || body["error"] == nil {
			t.Errorf("%s: %d %v", name, res.StatusCode, body)
		}
	}
	res, body = f.push(f.parParams(v, "scope", "openid admin"))
	wantOAuthError(t, res, body, http.StatusBadRequest, "invalid_scope")
}

func b64std(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
