package oauth_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
)

// get calls an API path with a bearer token.
func (f *fixture) get(path, token string) (*http.Response, map[string]any) {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return f.do(req)
}

func accessClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	payload, err := b64.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func productSlugs(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, p := range list {
		switch p := p.(type) {
		case string:
			out = append(out, p)
		case map[string]any:
			out = append(out, p["slug"].(string))
		}
	}
	return out
}

// TestProductsFollowSubscriptions: the products a user can use — in the
// access token, userinfo, /users/me and the license check with the user's
// own token — follow subscription changes at once, and a product scope is
// granted only with access.
func TestProductsFollowSubscriptions(t *testing.T) {
	f := newFixture(t, app.ClientInput{AllowedScopes: []string{"openid", "email", "profile", "offline_access", "otomate-social-pro"}})
	svc, cli := f.env.Svc, app.CLI()
	if _, err := svc.CreateProduct(f.ctx, cli, app.ProductInput{Name: "Otomate Social - Pro", Slug: "otomate-social-pro", Features: []string{"Unlimited posts", "All platforms"}}); err != nil {
		t.Fatal(err)
	}

	// Without a subscription the product scope is refused.
	f.conf.Scopes = []string{"openid", "otomate-social-pro"}
	verifier := oauth2.GenerateVerifier()
	q := f.authorize(apptest.NewBrowser(t, f.ts), f.conf.AuthCodeURL("st-1", oauth2.S256ChallengeOption(verifier)), "approve")
	if q.Get("error") != "invalid_scope" || q.Get("state") != "st-1" {
		t.Fatalf("product scope without access: %v", q)
	}

	sub, err := svc.CreateSubscription(f.ctx, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "otomate-social-pro",
		TotalSeats: 5, PricePerSeat: "29.99", BillingCycle: "monthly", Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	tok := f.tokens()
	if got := productSlugs(accessClaims(t, tok.AccessToken)["products"]); len(got) != 1 || got[0] != "otomate-social-pro" {
		t.Fatalf("access token products %v", got)
	}
	if tok.Extra("scope") != "openid otomate-social-pro" {
		t.Errorf("granted scope %v", tok.Extra("scope"))
	}
	_, ui := f.userinfo(tok.AccessToken)
	if got := productSlugs(ui["products"]); len(got) != 1 {
		t.Fatalf("userinfo products %v", ui["products"])
	}
	for _, path := range []string{"/api/v1/users/me", "/v1/users/me"} {
		if res, me := f.get(path, tok.AccessToken); res.StatusCode != 200 || len(productSlugs(me["products"])) != 1 {
			t.Fatalf("%s: %d %v", path, res.StatusCode, me)
		}
	}
	res, lic := f.get("/api/v1/licenses/check?product=otomate-social-pro", tok.AccessToken)
	if res.StatusCode != 200 || lic["valid"] != true || lic["code"] != "VALID" {
		t.Fatalf("license check with the user's token: %d %v", res.StatusCode, lic)
	}

	// Cancel: userinfo and the license check change at once, with the same
	// token; the next refresh drops the product from the token.
	if _, err := svc.CancelSubscription(f.ctx, cli, sub.ID); err != nil {
		t.Fatal(err)
	}
	if _, ui := f.userinfo(tok.AccessToken); len(productSlugs(ui["products"])) != 0 {
		t.Errorf("userinfo after cancel %v", ui["products"])
	}
	if _, lic := f.get("/api/v1/licenses/check?product=otomate-social-pro", tok.AccessToken); lic["valid"] != false || lic["code"] != "CANCELLED" {
		t.Errorf("license after cancel %v", lic)
	}
	next, err := f.conf.TokenSource(f.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil {
		t.Fatal(err)
	}
	if got := productSlugs(accessClaims(t, next.AccessToken)["products"]); len(got) != 0 {
		t.Errorf("refreshed token still lists %v", got)
	}

	// A garbage token is refused by the REST API like by userinfo.
	res, body := f.get("/api/v1/users/me", "garbage.token.here")
	if res.StatusCode != http.StatusUnauthorized || body["error"] != "invalid_token" || !strings.Contains(res.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("garbage token: %d %v %q", res.StatusCode, body, res.Header.Get("WWW-Authenticate"))
	}
	// After a password change the old access token stops working at the API.
	if err := svc.SetPassword(f.ctx, cli, f.user.User.ID, "a-completely-new-password"); err != nil {
		t.Fatal(err)
	}
	if res, _ := f.get("/api/v1/users/me", next.AccessToken); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("API with a token from before the password change: %d", res.StatusCode)
	}
}
