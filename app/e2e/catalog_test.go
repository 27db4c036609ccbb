package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

// waitFor polls a JavaScript condition and fails the test with step when it
// never holds.
func waitFor(t *testing.T, ctx context.Context, step, condition string) {
	t.Helper()
	get(t, ctx, step, chromedp.Poll[bool](condition))
}

// shot scrolls the page back to the top (a click or a wait may have
// scrolled it) and takes its screenshot.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	get(t, ctx, "scroll to the top", chromedp.Evaluate[bool](`window.scrollTo(0, 0), document.activeElement && document.activeElement.blur(), true`))
	screenshot(t, ctx, name)
}

// TestCreateProductInBrowser: an operator creates a product with two
// features, adds a third and removes one inline, and finds it listed.
func TestCreateProductInBrowser(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	ts := env.Server(t)
	ctx := newBrowser(t)
	signIn(t, ctx, ts.URL, "owner@example.com", apptest.Password)

	run(t, ctx, "open the empty product list",
		chromedp.Navigate(ts.URL+"/admin/products"),
		chromedp.WaitVisible(chromedp.ID(views.ProductsID)),
	)
	shot(t, ctx, "admin-products-empty")
	run(t, ctx, "open the create form",
		chromedp.Click(chromedp.CSS(`a[href="/admin/products/new"]`)),
		chromedp.WaitVisible(chromedp.ID(views.ProductFormID)),
		chromedp.SendKeys(chromedp.ID("name"), "Otomate Social Pro"),
	)
	waitFor(t, ctx, "the slug is suggested from the name", `document.getElementById("slug").value === "otomate-social-pro"`)
	run(t, ctx, "two features, then a third",
		chromedp.SendKeys(chromedp.CSS(`#feature-list li:nth-child(1) input`), "Unlimited posts"),
		chromedp.SendKeys(chromedp.CSS(`#feature-list li:nth-child(2) input`), "Scheduling"),
		chromedp.Click(chromedp.CSS(`#product-form button[name=add_feature]`)),
	)
	waitFor(t, ctx, "a third feature row", `document.querySelectorAll("#feature-list input[name=feature]").length === 3`)
	run(t, ctx, "fill the third",
		chromedp.SendKeys(chromedp.CSS(`#feature-list li:nth-child(3) input`), "All platforms"),
		chromedp.SendKeys(chromedp.ID("description"), "Schedule and publish social posts."),
	)
	shot(t, ctx, "admin-product-new")
	run(t, ctx, "remove the second", chromedp.Click(chromedp.CSS(`#feature-list li:nth-child(2) button`)))
	waitFor(t, ctx, "two feature rows left", `document.querySelectorAll("#feature-list input[name=feature]").length === 2`)
	run(t, ctx, "create",
		chromedp.Click(chromedp.CSS(`#product-form .form-actions button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("product-otomate-social-pro")),
	)
	shot(t, ctx, "admin-products")
	p, err := env.Svc.ProductByRef(context.Background(), app.CLI(), "otomate-social-pro")
	if err != nil || strings.Join(p.Features, "|") != "Unlimited posts|All platforms" {
		t.Fatalf("created product: %+v, %v", p, err)
	}
	row := get(t, ctx, "listed row", chromedp.Text(chromedp.ID("product-otomate-social-pro")))
	if !strings.Contains(row, "Unlimited posts") || !strings.Contains(row, "All platforms") || strings.Contains(row, "Scheduling") {
		t.Fatalf("row = %q", row)
	}
	run(t, ctx, "open the edit form",
		chromedp.Click(chromedp.CSS(`a[href="/admin/products/otomate-social-pro/edit"]`)),
		chromedp.WaitVisible(chromedp.ID(views.ProductFormID)),
	)
	shot(t, ctx, "admin-product-edit")
}

// catalogEnv is a server with product alpha and organization acme with an
// admin and a member.
func catalogEnv(t *testing.T) (*apptest.Env, string, app.Account) {
	t.Helper()
	env := apptest.New(t)
	env.Operator(t)
	if _, err := env.Svc.CreateProduct(context.Background(), app.CLI(), app.ProductInput{Name: "Alpha Analytics", Slug: "alpha",
		Description: "Dashboards for your team.", Features: []string{"Dashboards", "Exports"}, DocumentationURL: "https://docs.example.com/alpha"}); err != nil {
		t.Fatal(err)
	}
	env.Customer(t, "acme", "ada@acme.test", app.RoleAdmin)
	member := env.Customer(t, "acme", "mia@acme.test", app.RoleMember)
	return env, env.Server(t).URL, member
}

// TestCreateSubscriptionAndAssignSeat: an operator subscribes acme to a
// product and gives a member a seat.
func TestCreateSubscriptionAndAssignSeat(t *testing.T) {
	env, base, member := catalogEnv(t)
	alpha, err := env.Svc.ProductByRef(context.Background(), app.CLI(), "alpha")
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signIn(t, ctx, base, "owner@example.com", apptest.Password)

	run(t, ctx, "open the empty subscription list",
		chromedp.Navigate(base+"/admin/subscriptions"),
		chromedp.WaitVisible(chromedp.ID(views.SubscriptionResultsID)),
	)
	shot(t, ctx, "admin-subscriptions-empty")
	run(t, ctx, "fill the create form with a bad price",
		chromedp.Click(chromedp.CSS(`header a[href="/admin/subscriptions/new"]`)),
		chromedp.WaitVisible(chromedp.ID(views.SubscriptionFormID)),
		chromedp.SetValue(chromedp.ID("organization_id"), member.Org.ID),
		chromedp.SetValue(chromedp.ID("product_id"), alpha.ID),
		chromedp.Clear(chromedp.ID("total_seats")),
		chromedp.SendKeys(chromedp.ID("total_seats"), "5"),
		chromedp.Clear(chromedp.ID("price_per_seat")),
		chromedp.SendKeys(chromedp.ID("price_per_seat"), "29.999"),
		chromedp.Click(chromedp.CSS(`#subscription-form .form-actions button`)),
		chromedp.WaitVisible(chromedp.ID("price_per_seat-error")),
	)
	shot(t, ctx, "admin-subscription-new-error")
	run(t, ctx, "fix the price and create",
		chromedp.Clear(chromedp.ID("price_per_seat")),
		chromedp.SendKeys(chromedp.ID("price_per_seat"), "29.99"),
		chromedp.Click(chromedp.CSS(`#subscription-form .form-actions button`)),
		chromedp.WaitVisible(chromedp.ID(views.SeatsID)),
	)
	shot(t, ctx, "admin-subscription-detail")
	run(t, ctx, "assign a seat to the member",
		chromedp.SetValue(chromedp.ID("user_id"), member.User.ID),
		chromedp.Click(chromedp.CSS(`#seats form.assign-seat button`)),
		chromedp.WaitVisible(chromedp.ID("seat-"+member.User.ID)),
	)
	if used := get(t, ctx, "seats used", chromedp.Text(chromedp.ID(views.SeatsUsedID))); used != "1 / 5" {
		t.Fatalf("seats used = %q", used)
	}
	shot(t, ctx, "admin-subscription-seat-assigned")
	run(t, ctx, "the list shows it",
		chromedp.Navigate(base+"/admin/subscriptions"),
		chromedp.WaitVisible(chromedp.CSS(`#subscription-results tr[id^=sub-]`)),
	)
	shot(t, ctx, "admin-subscriptions")
	row := get(t, ctx, "row", chromedp.Text(chromedp.CSS(`#subscription-results tr[id^=sub-]`)))
	if !strings.Contains(row, "1 / 5") || !strings.Contains(row, "29.99 USD") || !strings.Contains(row, "Alpha Analytics") {
		t.Fatalf("row = %q", row)
	}
	run(t, ctx, "filter by status in place", chromedp.SetValue(chromedp.ID("status"), "cancelled"),
		chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)))
	waitFor(t, ctx, "no cancelled subscriptions", `location.search.includes("status=cancelled") && document.querySelector("#subscription-results .empty") !== null`)
	shot(t, ctx, "admin-subscriptions-filtered")
	subs, err := env.Svc.ListSubscriptions(context.Background(), app.CLI(), app.SubscriptionQuery{})
	if err != nil || len(subs.Subscriptions) != 1 || subs.Subscriptions[0].SeatsUsed != 1 {
		t.Fatalf("subscriptions: %+v, %v", subs, err)
	}
}

// TestPortalSeatAssignment: a customer admin gives a member a seat in the
// client portal; the member then sees the product.
func TestPortalSeatAssignment(t *testing.T) {
	env, base, member := catalogEnv(t)
	sub, err := env.Svc.CreateSubscription(context.Background(), app.CLI(), app.SubscriptionInput{OrganizationID: "acme", ProductID: "alpha",
		TotalSeats: 3, PricePerSeat: "12.00", BillingCycle: "yearly", Status: "trial", EndDate: "2026-06-30", AutoAssign: new(bool)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signIn(t, ctx, base, "ada@acme.test", apptest.Password)
	run(t, ctx, "open the organization's subscriptions",
		chromedp.Navigate(base+"/portal/subscriptions"),
		chromedp.WaitVisible(chromedp.ID("sub-"+sub.ID)),
	)
	shot(t, ctx, "portal-subscriptions")
	run(t, ctx, "open the seats page",
		chromedp.Click(chromedp.CSS(`a[href="/portal/subscriptions/`+sub.ID+`"]`)),
		chromedp.WaitVisible(chromedp.ID(views.SeatsID)),
	)
	shot(t, ctx, "portal-seats")
	run(t, ctx, "assign a seat",
		chromedp.SetValue(chromedp.ID("user_id"), member.User.ID),
		chromedp.Click(chromedp.CSS(`#seats form.assign-seat button`)),
		chromedp.WaitVisible(chromedp.ID("seat-"+member.User.ID)),
	)
	if used := get(t, ctx, "seats used", chromedp.Text(chromedp.ID(views.SeatsUsedID))); used != "1 / 3" {
		t.Fatalf("seats used = %q", used)
	}
	shot(t, ctx, "portal-seat-assigned")

	mctx := newBrowser(t)
	signIn(t, mctx, base, "mia@acme.test", apptest.Password)
	run(t, mctx, "the member sees the product",
		chromedp.Navigate(base+"/portal/products"),
		chromedp.WaitVisible(chromedp.ID("product-alpha")),
	)
	card := get(t, mctx, "card", chromedp.Text(chromedp.ID("product-alpha")))
	if !strings.Contains(card, "Dashboards") || !strings.Contains(card, "Seat since") || !strings.Contains(card, "Documentation") {
		t.Fatalf("card = %q", card)
	}
	shot(t, mctx, "portal-products")
	run(t, mctx, "and the subscriptions, read-only",
		chromedp.Navigate(base+"/portal/subscriptions"),
		chromedp.WaitVisible(chromedp.ID("sub-"+sub.ID)),
	)
	shot(t, mctx, "portal-subscriptions-member")
}
