package oauth_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
)

// TestConnectedAppLastUsed: Connected apps tells when the app last got
// tokens (sign-in or refresh) and says the scopes in words.
func TestConnectedAppLastUsed(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	ctx := context.Background()
	tok := f.tokens()
	signedIn := f.env.Clock.Now()
	apps, err := f.env.Svc.ConnectedApps(ctx, f.user.Actor(""))
	if err != nil || len(apps) != 1 {
		t.Fatalf("connected apps %+v %v", apps, err)
	}
	if a := apps[0]; a.LastUsedAt == nil || !a.LastUsedAt.Equal(signedIn) || !slices.Contains(a.Permissions, "See your email address") {
		t.Fatalf("after sign-in: %+v", a)
	}
	f.env.Clock.Advance(10 * time.Minute)
	if _, err := f.conf.TokenSource(f.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err != nil {
		t.Fatal(err)
	}
	apps, _ = f.env.Svc.ConnectedApps(ctx, f.user.Actor(""))
	if a := apps[0]; a.LastUsedAt == nil || !a.LastUsedAt.Equal(f.env.Clock.Now()) {
		t.Fatalf("after refresh: %+v, want %v", a.LastUsedAt, f.env.Clock.Now())
	}
}

// TestClientScopeOrderKeepsConsent: saving a client's scopes or redirect
// URIs in another order (as the admin form does) does not ask users again.
func TestClientScopeOrderKeepsConsent(t *testing.T) {
	f := newFixture(t, app.ClientInput{RedirectURIs: []string{callback, "https://app.example.com/other"}})
	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	q := baseQuery(f)
	f.authorize(b, "/oauth/authorize?"+q.Encode(), "approve")
	scopes := slices.Clone(f.client.AllowedScopes)
	slices.Reverse(scopes)
	uris := []string{"https://app.example.com/other", callback}
	if _, err := f.env.Svc.UpdateClient(context.Background(), app.CLI(), f.client.ClientID,
		app.ClientPatch{AllowedScopes: &scopes, RedirectURIs: &uris}); err != nil {
		t.Fatal(err)
	}
	if _, loc, _ := authorizeStep(f, b, q); callbackQuery(t, loc).Get("code") == "" {
		t.Fatal("reordering scopes and redirect URIs asked for consent again")
	}
}

// TestConnectNewApp: the client portal lists the operator's apps with an
// initiate login URI and the scopes they ask; starting one sends the user
// to it with iss (and the app's target_link_uri), the app's authorization request ends on the consent
// screen, and the app then appears under Connected apps.
func TestConnectNewApp(t *testing.T) {
	f := newFixture(t, app.ClientInput{InitiateLoginURI: "https://app.example.com/login?from=optare",
		TargetLinkURI: "https://app.example.com/reports?tab=2"})
	if _, err := f.env.Svc.CreateClient(context.Background(), app.CLI(), app.ClientInput{Name: "Hidden",
		RedirectURIs: []string{callback}}); err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	res, body := b.Get("/portal/oauth-clients")
	if res.StatusCode != 200 || !strings.Contains(body, `href="/portal/oauth-clients/connect"`) || !strings.Contains(body, "Connect New App") {
		t.Fatalf("connected apps: %d", res.StatusCode)
	}
	res, body = b.Get("/portal/oauth-clients/connect")
	if res.StatusCode != 200 || !strings.Contains(body, "Acme Dashboard") || strings.Contains(body, "Hidden") ||
		!strings.Contains(body, "See your email address") {
		t.Fatalf("connect new app: %d\n%s", res.StatusCode, body)
	}
	link := apptest.Find(t, body, func(n *html.Node) bool {
		return n.Data == "a" && strings.HasPrefix(apptest.Attr(n, "href"), "https://app.example.com/login")
	})
	if link == nil {
		t.Fatal("no link to the app")
	}
	start, err := url.Parse(apptest.Attr(link, "href"))
	if err != nil {
		t.Fatal(err)
	}
	q := start.Query()
	if q.Get("iss") != f.ts.URL || q.Get("from") != "optare" || q.Get("login_hint") != f.user.User.Email ||
		q.Get("target_link_uri") != "https://app.example.com/reports?tab=2" {
		t.Fatalf("start URL %s", start)
	}
	// The app, as OpenID Connect Core §4 asks, checks iss and sends its
	// authorization request there.
	got := f.authorize(b, f.conf.AuthCodeURL("st-1", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())), "approve")
	if got.Get("code") == "" {
		t.Fatalf("callback %v", got)
	}
	res, body = b.Get("/portal/oauth-clients")
	if res.StatusCode != 200 || !strings.Contains(body, `id="app-`+f.client.ClientID+`"`) {
		t.Fatalf("app not under Connected apps: %d", res.StatusCode)
	}
}
