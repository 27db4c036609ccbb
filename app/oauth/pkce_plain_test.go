package oauth_test

import (
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
)

// TestPKCEPlainOnlyForConfidentialClients: OAuth 2.1 — a public client must
// use S256; plain still works for a confidential client; discovery lists
// both methods, since both are accepted (for some clients).
func TestPKCEPlainOnlyForConfidentialClients(t *testing.T) {
	plain := []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("code_challenge", strings.Repeat("v", 43)),
		oauth2.SetAuthURLParam("code_challenge_method", "plain")}
	noMethod := []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("code_challenge", strings.Repeat("v", 43))}

	pub := newFixture(t, app.ClientInput{Public: true})
	pub.conf.ClientSecret = ""
	for name, opts := range map[string][]oauth2.AuthCodeOption{"plain": plain, "no method (plain)": noMethod} {
		q := pub.authorize(apptest.NewBrowser(t, pub.ts), pub.conf.AuthCodeURL("st", opts...), "approve")
		if q.Get("error") != "invalid_request" || !strings.Contains(q.Get("error_description"), "S256") {
			t.Errorf("public client with %s: %v", name, q)
		}
	}
	if code, _ := pub.code(apptest.NewBrowser(t, pub.ts)); code == "" {
		t.Fatal("public client with S256 got no code")
	}

	conf := newFixture(t, app.ClientInput{})
	q := conf.authorize(apptest.NewBrowser(t, conf.ts), conf.conf.AuthCodeURL("st", plain...), "approve")
	if q.Get("code") == "" {
		t.Fatalf("confidential client with plain: %v", q)
	}
	tok, err := conf.conf.Exchange(conf.ctx, q.Get("code"), oauth2.SetAuthURLParam("code_verifier", strings.Repeat("v", 43)))
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("exchange with the plain verifier: %v", err)
	}

	res, body := apptest.NewBrowser(t, conf.ts).Get("/.well-known/openid-configuration")
	if res.StatusCode != 200 || !strings.Contains(body, `"code_challenge_methods_supported":["S256","plain"]`) {
		t.Fatalf("discovery: %s", body)
	}
}
