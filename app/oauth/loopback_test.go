package oauth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
)

// TestLoopbackRedirectAnyPort: a public client registered with
// http://127.0.0.1/callback (RFC 8252 §7.3) is sent back to whatever port
// it listens on; path, scheme and host still match exactly, and the token
// request must repeat the URI it used.
func TestLoopbackRedirectAnyPort(t *testing.T) {
	f := newFixture(t, app.ClientInput{Name: "Native", AuthMethod: "none",
		RedirectURIs: []string{"http://127.0.0.1/callback", "http://localhost/cb"}})
	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	verifier := oauth2.GenerateVerifier()
	authorize := func(redirect string) (*http.Response, string) {
		q := url.Values{"client_id": {f.client.ClientID}, "redirect_uri": {redirect}, "response_type": {"code"},
			"scope": {"openid"}, "state": {"s"}, "code_challenge": {oauth2.S256ChallengeFromVerifier(verifier)},
			"code_challenge_method": {"S256"}}
		res, body := b.Get("/oauth/authorize?" + q.Encode())
		if res.StatusCode == http.StatusOK && strings.Contains(body, `id="consent-form"`) {
			form := hiddenFields(t, body)
			form.Set("decision", "approve")
			return b.PostForm("/oauth/authorize", form)
		}
		return res, body
	}
	res, _ := authorize("http://127.0.0.1:53127/callback")
	loc, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || loc == nil || loc.Host != "127.0.0.1:53127" || loc.Query().Get("code") == "" {
		t.Fatalf("loopback port: %d %v", res.StatusCode, loc)
	}
	code := loc.Query().Get("code")
	token := func(redirect string) (*http.Response, map[string]any) {
		return f.post("/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {f.client.ClientID},
			"redirect_uri": {redirect}, "code_verifier": {verifier}}, nil)
	}
	res2, body := token("http://127.0.0.1:9/callback")
	wantOAuthError(t, res2, body, http.StatusBadRequest, "invalid_grant")
	// The refused attempt did not use the code up.
	if res2, body = token("http://127.0.0.1:53127/callback"); res2.StatusCode != 200 || body["access_token"] == nil {
		t.Fatalf("token with the same loopback URI: %d %v", res2.StatusCode, body)
	}
	for _, bad := range []string{"http://127.0.0.1:53127/other", "https://127.0.0.1:53127/callback", "http://localhost:53127/cb",
		"http://[::1]:53127/callback"} {
		if res, _ := authorize(bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want the error page", bad, res.StatusCode)
		}
	}
	// A confidential client gets no such latitude.
	g := newFixture(t, app.ClientInput{Name: "Server", RedirectURIs: []string{"http://127.0.0.1/callback"}})
	gb := apptest.NewBrowser(t, g.ts)
	gb.Login(g.user.User.Email)
	q := url.Values{"client_id": {g.client.ClientID}, "redirect_uri": {"http://127.0.0.1:53127/callback"}, "response_type": {"code"},
		"scope": {"openid"}}
	if res, _ := gb.Get("/oauth/authorize?" + q.Encode()); res.StatusCode != http.StatusBadRequest {
		t.Errorf("confidential client on another port: %d", res.StatusCode)
	}
}
