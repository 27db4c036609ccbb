package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

func TestMachinesPortalAndAdmin(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	ada := env.Customer(t, "acme", "ada@acme.test", app.RoleMember)
	bob := env.Customer(t, "acme", "bob@acme.test", app.RoleMember)
	ctx := context.Background()
	if _, err := env.Svc.CreateProduct(ctx, app.CLI(), app.ProductInput{Name: "Alpha Studio", Slug: "alpha", Floating: true}); err != nil {
		t.Fatal(err)
	}
	sub, err := env.Svc.CreateSubscription(ctx, app.CLI(), app.SubscriptionInput{OrganizationID: "acme", ProductID: "alpha", TotalSeats: 5, BillingCycle: "monthly", Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	activate := func(acc app.Account, fp, name string) string {
		l, err := env.Svc.Activate(ctx, acc.Actor(""), app.ActivationInput{Product: "alpha", Fingerprint: fp, Name: name})
		if err != nil || !l.Valid {
			t.Fatalf("activate: %+v %v", l, err)
		}
		return l.Activation.ID
	}
	mine, other := activate(ada, "a1", "Ada's laptop"), activate(bob, "b1", "Bob's desktop")
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("ada@acme.test")
	_, body := b.Get("/portal/machines")
	row := apptest.Find(t, body, apptest.ByID("machine-"+mine))
	if row == nil || !strings.Contains(body, "Ada&#39;s laptop") || !strings.Contains(body, "Alpha Studio") || strings.Contains(body, "machine-"+other) {
		t.Fatalf("portal machines page:\n%s", body)
	}
	// Another user's machine is not hers to deactivate.
	if res, _ := b.PostForm("/portal/machines/"+other+"/deactivate", url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("deactivating another user's machine: %d", res.StatusCode)
	}
	res, _ := confirmed(t, b, "/portal/machines/"+mine+"/deactivate")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/portal/machines" {
		t.Fatalf("deactivate: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := b.Get("/portal/machines"); apptest.Find(t, body, apptest.ByID("machine-"+mine)) != nil ||
		apptest.Find(t, body, apptest.ByID(views.MachinesID)) == nil || !strings.Contains(body, "its lease is free") {
		t.Fatalf("machines page after deactivating:\n%s", body)
	}

	op := apptest.NewBrowser(t, ts)
	op.Login("owner@example.com")
	_, body = op.Get("/admin/subscriptions/" + sub.ID)
	if apptest.Find(t, body, apptest.ByID("machine-"+other)) == nil || !strings.Contains(body, "bob@acme.test") {
		t.Fatalf("admin subscription page lacks the activation:\n%s", body)
	}
	res, _ = op.PostForm("/admin/subscriptions/"+sub.ID+"/activations/"+other+"/deactivate", url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/subscriptions/"+sub.ID {
		t.Fatalf("admin deactivate: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	page, _ := env.Svc.ListActivations(ctx, app.CLI(), app.ActivationQuery{})
	if len(page.Activations) != 0 {
		t.Fatalf("left: %+v", page.Activations)
	}
}

// TestProductLicensingFields: the product form sets the licence token
// lifetime, grace, lease and machine rules, with the domain's messages.
func TestProductLicensingFields(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	ctx := context.Background()
	if _, err := env.Svc.CreateProduct(ctx, app.CLI(), app.ProductInput{Name: "Alpha", Slug: "alpha"}); err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBrowser(t, env.Server(t))
	b.Login("owner@example.com")
	if _, body := b.Get("/admin/products/alpha/edit"); apptest.Find(t, body, apptest.Input("license_check_in_seconds")) == nil {
		t.Fatal("no licensing fields")
	}
	form := url.Values{"name": {"Alpha"}, "feature": {"F"}, "license_check_in_seconds": {"60"}, "license_grace_seconds": {"0"},
		"lease_ttl_seconds": {"120"}, "machines_per_seat": {"2"}}
	if res, body := b.PostForm("/admin/products/alpha", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "between 3600") {
		t.Fatalf("too short a check-in: %d", res.StatusCode)
	}
	form.Set("license_check_in_seconds", "86400")
	if res, _ := b.PostForm("/admin/products/alpha", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	p, _ := env.Svc.ProductByRef(ctx, app.CLI(), "alpha")
	if p.LicenseCheckIn != 86400 || p.LicenseGrace != 0 || p.LeaseTTL != 120 || p.MachinesPerSeat != 2 || p.Floating {
		t.Fatalf("product %+v", p)
	}
}
