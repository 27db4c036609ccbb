package app_test

import (
	"context"
	"testing"
	"time"

	"optare/app"
	"optare/app/apptest"
	"optare/app/oidc"
)

// cacheFixture is acme with a member holding a seat of "hot" (no automatic
// seats), an API key and a client-credentials client, every hot-path
// cache warmed by a first request.
type cacheFixture struct {
	env    *apptest.Env
	ctx    context.Context
	user   app.Account
	sub    app.Subscription
	key    app.NewAPIKey
	client app.ClientWithSecret
	auth   oidc.ClientAuth
}

func newCacheFixture(t *testing.T) *cacheFixture {
	t.Helper()
	env := apptest.New(t)
	env.Operator(t)
	f := &cacheFixture{env: env, ctx: context.Background(), user: env.Customer(t, "acme", "ada@example.com", app.RoleMember)}
	svc, cli := env.Svc, app.CLI()
	if _, err := svc.CreateProduct(f.ctx, cli, app.ProductInput{Name: "Hot", Slug: "hot", Features: []string{"F"}}); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.sub, err = svc.CreateSubscription(f.ctx, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "hot",
		TotalSeats: 10, PricePerSeat: "1", BillingCycle: app.CycleMonthly, AutoAssign: new(bool)}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AssignSeat(f.ctx, cli, f.sub.ID, f.user.User.ID); err != nil {
		t.Fatal(err)
	}
	if f.key, err = svc.CreateAPIKey(f.ctx, cli, app.APIKeyInput{OrganizationID: "acme", Name: "k", Environment: "live"}); err != nil {
		t.Fatal(err)
	}
	if f.client, err = svc.CreateClient(f.ctx, cli, app.ClientInput{Name: "Machine", GrantTypes: []string{oidc.GrantClientCredentials}}); err != nil {
		t.Fatal(err)
	}
	f.auth = oidc.ClientAuth{ClientID: f.client.ClientID, ClientSecret: f.client.ClientSecret, AuthMethod: oidc.AuthMethodSecretPost}
	return f
}

func (f *cacheFixture) license(t *testing.T) string {
	t.Helper()
	lic, err := f.env.Svc.CheckLicense(f.ctx, app.CLI(), app.LicenseQuery{Product: "hot", UserID: f.user.User.ID})
	if err != nil {
		t.Fatal(err)
	}
	return lic.Code
}

func (f *cacheFixture) token(t *testing.T) string {
	t.Helper()
	res, err := f.env.Svc.Token(f.ctx, oidc.TokenRequest{GrantType: oidc.GrantClientCredentials, ClientAuth: f.auth}, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	return res.AccessToken
}

func (f *cacheFixture) userinfo(t *testing.T) app.UserInfo {
	t.Helper()
	ui, err := f.env.Svc.UserInfo(f.ctx, app.AccessTokenInfo{UserID: f.user.User.ID, Scopes: []string{"openid", "profile"}})
	if err != nil {
		t.Fatal(err)
	}
	return ui
}

// TestLicenseCacheInvalidation: each change to what a licence check reads
// changes the next answer, with the first answer cached.
func TestLicenseCacheInvalidation(t *testing.T) {
	f := newCacheFixture(t)
	svc, cli := f.env.Svc, app.CLI()
	steps := []struct {
		change func() error
		want   string
	}{
		{func() error { return nil }, app.CodeValid},
		{func() error { return svc.UnassignSeat(f.ctx, cli, f.sub.ID, f.user.User.ID) }, app.CodeNoSeat},
		{func() error { _, err := svc.AssignSeat(f.ctx, cli, f.sub.ID, f.user.User.ID); return err }, app.CodeValid},
		{func() error { return svc.SetUserDisabled(f.ctx, cli, f.user.User.ID, true) }, app.CodeUserDisabled},
		{func() error { return svc.SetUserDisabled(f.ctx, cli, f.user.User.ID, false) }, app.CodeValid},
		{func() error { _, err := svc.CancelSubscription(f.ctx, cli, f.sub.ID); return err }, app.CodeCancelled},
		{func() error { _, err := svc.ArchiveProduct(f.ctx, cli, "hot"); return err }, app.CodeProductNotFound},
	}
	for i, s := range steps {
		if err := s.change(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		for range 2 { // the second answer comes from the cache
			if got := f.license(t); got != s.want {
				t.Fatalf("step %d: %s, want %s", i, got, s.want)
			}
		}
	}
}

// TestLicenseCacheHonoursEndDate: a cached VALID turns EXPIRED when the
// subscription's end date passes, with no write in between.
func TestLicenseCacheHonoursEndDate(t *testing.T) {
	f := newCacheFixture(t)
	end := f.env.Clock.Now().Add(48 * time.Hour).Format("2006-01-02")
	if _, err := f.env.Svc.UpdateSubscription(f.ctx, app.CLI(), f.sub.ID, app.SubscriptionPatch{EndDate: &end}); err != nil {
		t.Fatal(err)
	}
	if got := f.license(t); got != app.CodeValid {
		t.Fatalf("before the end: %s", got)
	}
	if n := len(f.userinfo(t).Products); n != 1 {
		t.Fatalf("userinfo before the end: %d products", n)
	}
	f.env.Clock.Advance(72 * time.Hour)
	if got := f.license(t); got != app.CodeExpired {
		t.Fatalf("after the end: %s, want %s", got, app.CodeExpired)
	}
	if n := len(f.userinfo(t).Products); n != 0 {
		t.Fatalf("userinfo after the end: %d products, want 0", n)
	}
}

// TestAPIKeyCacheInvalidation: a revoked key is refused at once, and an
// expired one when its time comes.
func TestAPIKeyCacheInvalidation(t *testing.T) {
	f := newCacheFixture(t)
	svc := f.env.Svc
	for range 2 {
		if _, err := svc.AuthenticateAPI(f.ctx, app.BearerRequest(f.key.Key), f.key.Secret, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.AuthenticateAPI(f.ctx, app.BearerRequest(f.key.Key), "wrong", "192.0.2.1"); err == nil {
		t.Fatal("a cached key accepted a wrong secret")
	}
	if _, err := svc.RevokeAPIKey(f.ctx, app.CLI(), f.key.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AuthenticateAPI(f.ctx, app.BearerRequest(f.key.Key), f.key.Secret, "192.0.2.1"); err == nil {
		t.Fatal("revoked key still accepted")
	}
	exp := f.env.Clock.Now().Add(time.Hour).Format(time.RFC3339)
	short, err := svc.CreateAPIKey(f.ctx, app.CLI(), app.APIKeyInput{OrganizationID: "acme", Name: "short", Environment: "live", ExpiresAt: exp})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AuthenticateAPI(f.ctx, app.BearerRequest(short.Key), short.Secret, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	f.env.Clock.Advance(2 * time.Hour)
	if _, err := svc.AuthenticateAPI(f.ctx, app.BearerRequest(short.Key), short.Secret, "192.0.2.1"); err == nil {
		t.Fatal("expired key still accepted")
	}
}

// TestClientCacheInvalidation: a rotated secret and a disabled client take
// effect on the next token request.
func TestClientCacheInvalidation(t *testing.T) {
	f := newCacheFixture(t)
	svc := f.env.Svc
	f.token(t)
	rotated, err := svc.RotateClientSecret(f.ctx, app.CLI(), f.client.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Token(f.ctx, oidc.TokenRequest{GrantType: oidc.GrantClientCredentials, ClientAuth: f.auth}, "192.0.2.1"); err == nil {
		t.Fatal("the old secret still works")
	}
	f.auth.ClientSecret = rotated.ClientSecret
	f.token(t)
	if _, err := svc.SetClientEnabled(f.ctx, app.CLI(), f.client.ClientID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Token(f.ctx, oidc.TokenRequest{GrantType: oidc.GrantClientCredentials, ClientAuth: f.auth}, "192.0.2.1"); err == nil {
		t.Fatal("a disabled client still gets tokens")
	}
}

// TestVerifiedTokenCacheInvalidation: a verified access token stays
// verified only until it is revoked, its client disabled, or it expires.
func TestVerifiedTokenCacheInvalidation(t *testing.T) {
	f := newCacheFixture(t)
	svc := f.env.Svc
	verify := func(tok string) error { _, err := svc.VerifyAccessToken(f.ctx, tok); return err }
	revoked, expiring, disabled := f.token(t), f.token(t), f.token(t)
	for _, tok := range []string{revoked, expiring, disabled} {
		for range 2 {
			if err := verify(tok); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := svc.Revoke(f.ctx, f.auth, revoked, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if verify(revoked) == nil {
		t.Fatal("revoked token still verified")
	}
	if err := verify(expiring); err != nil {
		t.Fatal(err)
	}
	f.env.Clock.Advance(app.AccessTokenLifetime + time.Minute)
	if verify(expiring) == nil {
		t.Fatal("expired token still verified")
	}
	f.env.Clock.Advance(-app.AccessTokenLifetime - time.Minute)
	if err := verify(disabled); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetClientEnabled(f.ctx, app.CLI(), f.client.ClientID, false); err != nil {
		t.Fatal(err)
	}
	if verify(disabled) == nil {
		t.Fatal("token of a disabled client still verified")
	}
}

// TestUserinfoCacheInvalidation: userinfo follows a name change and a
// cancelled subscription at once.
func TestUserinfoCacheInvalidation(t *testing.T) {
	f := newCacheFixture(t)
	svc := f.env.Svc
	if ui := f.userinfo(t); len(ui.Products) != 1 || ui.Name == "Grace" {
		t.Fatalf("first answer: %+v", ui)
	}
	name := "Grace"
	if _, err := svc.UpdateUser(f.ctx, app.CLI(), f.user.User.ID, app.UserPatch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if ui := f.userinfo(t); ui.Name != "Grace" {
		t.Fatalf("name after the change: %q", ui.Name)
	}
	if _, err := svc.CancelSubscription(f.ctx, app.CLI(), f.sub.ID); err != nil {
		t.Fatal(err)
	}
	if ui := f.userinfo(t); len(ui.Products) != 0 {
		t.Fatalf("products after cancelling: %+v", ui.Products)
	}
}

// TestSigningKeyCacheInvalidation: a rotation in this process changes the
// published key set at once.
func TestSigningKeyCacheInvalidation(t *testing.T) {
	f := newCacheFixture(t)
	svc := f.env.Svc
	before, err := svc.JWKS(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RotateKeys(f.ctx, app.CLI()); err != nil {
		t.Fatal(err)
	}
	after, err := svc.JWKS(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) == string(after) {
		t.Fatal("the key set did not change after a rotation")
	}
}
