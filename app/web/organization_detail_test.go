package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"optare/app"
	"optare/app/apptest"
)

// TestOrganizationDetailPage: the organization's page shows its members,
// subscriptions with seats, API keys and recent activity with names linked
// to their pages; the list and the audit log link to it; customers are
// refused and an unknown organization is a 404 inside the admin shell.
func TestOrganizationDetailPage(t *testing.T) {
	env := apptest.New(t)
	ctx, cli := context.Background(), app.CLI()
	env.Operator(t)
	owner := env.Customer(t, "acme", "olga@acme.test", app.RoleOwner)
	if _, err := env.Svc.CreateProduct(ctx, cli, app.ProductInput{Name: "Otomate Social", Slug: "social"}); err != nil {
		t.Fatal(err)
	}
	sub, err := env.Svc.CreateSubscription(ctx, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "social", TotalSeats: 25, PricePerSeat: "29.99", BillingCycle: "monthly", Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.CreateAPIKey(ctx, cli, app.APIKeyInput{OrganizationID: "acme", Name: "Billing sync"}); err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")

	_, body := b.Get("/admin/organizations")
	if !strings.Contains(body, `href="/admin/organizations/acme"`) {
		t.Fatal("the organizations list does not link to the organization's page")
	}
	res, body := b.Get("/admin/organizations/acme")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("page: %d", res.StatusCode)
	}
	for _, want := range []string{"olga@acme.test", "Otomate Social", "0 / 25", "Billing sync", "Recent activity",
		`href="/admin/subscriptions/` + sub.ID + `"`, `href="/admin/users/` + owner.User.ID + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("organization page lacks %s", want)
		}
	}
	// The audit log names the subscription by product and organization and
	// links it, with the id kept in the title and the details.
	_, body = b.Get("/admin/audit-logs?org=acme")
	if !strings.Contains(body, "Otomate Social for ") || !strings.Contains(body, `title="`+sub.ID+`"`) ||
		!strings.Contains(body, `<a href="/admin/organizations/`) || !strings.Contains(body, "Subscription created") {
		t.Errorf("audit log without names, links or action words:\n%s", body)
	}
	if !strings.Contains(body, `<optgroup label="Subscription"><option value="subscription.">Every subscription action</option>`) {
		t.Error("the action filter is not a grouped list of the actions in the log")
	}

	res, body = b.Get("/admin/organizations/nope")
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown organization: %d", res.StatusCode)
	}
	if apptest.Find(t, body, func(n *html.Node) bool { return apptest.Attr(n, "aria-label") == "Admin sections" }) == nil {
		t.Error("a signed-in operator's 404 has no admin sidebar")
	}
	res, body = b.Get("/no/such/page")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Admin sections") || !strings.Contains(body, "Sign out") {
		t.Errorf("unknown path for a signed-in operator: %d, shell missing", res.StatusCode)
	}
	c := apptest.NewBrowser(t, ts)
	c.Login("olga@acme.test")
	if res, _ := c.Get("/admin/organizations/acme"); res.StatusCode != http.StatusForbidden {
		t.Errorf("customer owner: %d, want 403", res.StatusCode)
	}
	if res, body := c.Get("/no/such/page"); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Portal sections") {
		t.Errorf("unknown path for a customer: %d, portal shell missing", res.StatusCode)
	}
}
