package app_test

import (
	"testing"
	"time"

	"optare/app"
)

// TestLicenseCodes checks a user's own license (an ActorUser, as an access
// token gives it) through every code.
func TestLicenseCodes(t *testing.T) {
	c := newCatalog(t)
	u1 := c.env.Customer(t, "acme", "one@acme.test", app.RoleMember)
	u2 := c.env.Customer(t, "acme", "two@acme.test", app.RoleMember)
	check := func(acc app.Account, product string) app.License {
		t.Helper()
		lic, err := c.env.Svc.CheckLicense(c.ctx, acc.Actor("10.0.0.1"), app.LicenseQuery{Product: product})
		if err != nil {
			t.Fatal(err)
		}
		// Every refusal lists no features (the product's own list stays in
		// "product"); a valid answer lists them.
		if lic.Features == nil || (!lic.Valid && len(lic.Features) != 0) || (lic.Valid && len(lic.Features) == 0) {
			t.Fatalf("%s: features %v", lic.Code, lic.Features)
		}
		return lic
	}
	if lic := check(u1, "alpha"); lic.Code != app.CodeNoSubscription || lic.Valid || lic.Product == nil {
		t.Fatalf("no subscription: %+v", lic)
	}
	if lic := check(u1, "nope"); lic.Code != app.CodeProductNotFound {
		t.Fatalf("unknown product: %+v", lic)
	}
	s := c.subscribe(t, 1, "trial", "")
	lic := check(u1, "alpha")
	if !lic.Valid || lic.Code != app.CodeValid || lic.Subscription.SeatsUsed != 1 || len(lic.Features) != 1 || lic.Product.Slug != "alpha" {
		t.Fatalf("first use: %+v", lic)
	}
	// The common path writes nothing.
	before, _ := c.env.Svc.ListAudit(c.ctx, c.cli, app.AuditQuery{})
	if lic := check(u1, "alpha"); !lic.Valid {
		t.Fatalf("second use: %+v", lic)
	}
	after, _ := c.env.Svc.ListAudit(c.ctx, c.cli, app.AuditQuery{})
	if len(after.Entries) != len(before.Entries) {
		t.Errorf("a repeated check wrote %d entries", len(after.Entries)-len(before.Entries))
	}
	if lic := check(u2, "alpha"); lic.Code != app.CodeNoSeat {
		t.Fatalf("all seats taken: %+v", lic)
	}
	// A member cannot check another user; an API key of the org can.
	if _, err := c.env.Svc.CheckLicense(c.ctx, u2.Actor(""), app.LicenseQuery{Product: "alpha", UserID: u1.User.ID}); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("member checking another user: %v", err)
	}
	key := app.Actor{Kind: app.ActorAPIKey, ID: "key_x", OrgID: u1.Org.ID}
	if lic, err := c.env.Svc.CheckLicense(c.ctx, key, app.LicenseQuery{Product: "alpha", UserID: u1.User.ID}); err != nil || !lic.Valid {
		t.Errorf("org key: %+v %v", lic, err)
	}
	if _, err := c.env.Svc.CancelSubscription(c.ctx, c.cli, s.ID); err != nil {
		t.Fatal(err)
	}
	if lic := check(u1, "alpha"); lic.Code != app.CodeCancelled || lic.Subscription.Status != "cancelled" {
		t.Fatalf("cancelled: %+v", lic)
	}
	if err := c.env.Svc.SetUserDisabled(c.ctx, c.cli, u2.User.ID, true); err != nil {
		t.Fatal(err)
	}
	if lic := check(u2, "alpha"); lic.Code != app.CodeUserDisabled {
		t.Fatalf("disabled: %+v", lic)
	}
}

// TestUserProductsFollowSubscriptions: the products in tokens, userinfo and
// the portal follow subscription changes at once.
func TestUserProductsFollowSubscriptions(t *testing.T) {
	c := newCatalog(t)
	u := c.env.Customer(t, "acme", "one@acme.test", app.RoleMember)
	products := func() int {
		ps, err := c.env.Svc.UserProducts(c.ctx, u.User.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	if products() != 0 {
		t.Fatal("products before subscribing")
	}
	s := c.subscribe(t, 1, "active", "")
	if products() != 1 {
		t.Fatal("subscription not visible at once")
	}
	if me, err := c.env.Svc.CurrentUser(c.ctx, u.Actor("")); err != nil || len(me.Products) != 1 || me.OrganizationID != u.Org.ID {
		t.Fatalf("users/me = %+v %v", me, err)
	}
	if _, err := c.env.Svc.CancelSubscription(c.ctx, c.cli, s.ID); err != nil {
		t.Fatal(err)
	}
	if products() != 0 {
		t.Fatal("cancellation not visible at once")
	}
	active, end := app.StatusActive, "2026-03-01"
	if _, err := c.env.Svc.UpdateSubscription(c.ctx, c.cli, s.ID, app.SubscriptionPatch{Status: &active, EndDate: &end}); err != nil {
		t.Fatal(err)
	}
	if products() != 1 {
		t.Fatal("reactivation not visible at once")
	}
	c.env.Clock.Advance(60 * 24 * time.Hour)
	if products() != 0 {
		t.Fatal("expiry not visible at once")
	}
	if _, err := c.env.Svc.ArchiveProduct(c.ctx, c.cli, "alpha"); err != nil {
		t.Fatal(err)
	}
}

func TestAPIKeyLastUsedIsBatched(t *testing.T) {
	c := newCatalog(t)
	c.env.Customer(t, "acme", "a@acme.test", app.RoleAdmin)
	k, err := c.env.Svc.CreateAPIKey(c.ctx, c.cli, app.APIKeyInput{OrganizationID: "acme", Name: "ci", Environment: "test"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.env.Svc.AuthenticateAPI(c.ctx, app.BearerRequest(k.Key), k.Secret, "10.0.0.1")
	if err != nil || a.Kind != app.ActorAPIKey || a.OrgID != k.OrganizationID || a.Operator {
		t.Fatalf("authenticate: %+v %v", a, err)
	}
	lastUsed := func() *time.Time {
		page, err := c.env.Svc.ListAPIKeys(c.ctx, c.cli, app.APIKeyQuery{Organization: "acme"})
		if err != nil || len(page.APIKeys) != 1 {
			t.Fatalf("%v %v", page, err)
		}
		return page.APIKeys[0].LastUsedAt
	}
	if lastUsed() != nil {
		t.Fatal("authentication wrote last_used_at")
	}
	if err := c.env.Svc.FlushAPIKeyUsage(c.ctx); err != nil {
		t.Fatal(err)
	}
	if lu := lastUsed(); lu == nil || !lu.Equal(c.env.Clock.Now()) {
		t.Fatalf("after flush: %v", lu)
	}
}
