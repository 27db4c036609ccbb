package oauth_test

import (
	"context"
	"slices"
	"testing"
	"time"

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
