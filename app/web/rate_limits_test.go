package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
)

// TestPortalRateLimits: an operator sets a key's and an organization's
// rate limit in the admin portal; the pages show them; a bad value is
// refused with a readable message.
func TestPortalRateLimits(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	acme := env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)
	key, err := env.Svc.CreateAPIKey(context.Background(), app.CLI(), app.APIKeyInput{OrganizationID: "acme", Name: "backend"})
	if err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")
	if _, body := b.Get("/admin/settings/api-keys"); !strings.Contains(body, "Default: 100/minute") {
		t.Fatal("the key's default limit is not shown")
	}
	if res, _ := b.PostForm("/admin/settings/api-keys/"+key.Key+"/rate-limit", url.Values{"limit": {"500"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set key limit: %d", res.StatusCode)
	}
	if _, body := b.Get("/admin/settings/api-keys"); !strings.Contains(body, "500/minute (default 100)") {
		t.Fatal("the key's new limit is not shown")
	}
	b.PostForm("/admin/organizations/"+acme.Org.ID+"/rate-limit", url.Values{"limit": {"lots"}})
	if _, body := b.Get("/admin/organizations"); !strings.Contains(body, "Give a whole number.") || !strings.Contains(body, "Default: 1000/hour") {
		t.Fatal("a bad limit was not refused readably")
	}
	b.PostForm("/admin/organizations/"+acme.Org.ID+"/rate-limit", url.Values{"limit": {"20000"}})
	if _, body := b.Get("/admin/organizations"); !strings.Contains(body, "20000/hour (default 1000)") {
		t.Fatal("the organization's new limit is not shown")
	}
	// A customer's admin has no such door.
	c := apptest.NewBrowser(t, ts)
	c.Login("admin@acme.test")
	if res, _ := c.PostForm("/admin/organizations/"+acme.Org.ID+"/rate-limit", url.Values{"limit": {"1"}}); res.StatusCode < 400 && res.StatusCode != http.StatusSeeOther {
		t.Fatalf("customer admin: %d", res.StatusCode)
	}
	o, _ := env.Svc.OrganizationByRef(context.Background(), app.CLI(), "acme")
	if o.RateLimitPerHour != 20000 {
		t.Fatalf("stored limit %d", o.RateLimitPerHour)
	}
}
