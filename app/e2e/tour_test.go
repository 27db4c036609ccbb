package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"optare/app"
	"optare/app/apptest"
	"optare/app/oidc"
)

// tourIDs are the seeded objects the tour opens pages of.
type tourIDs struct {
	sub, client, key, webhook, user string
}

// seedTour fills a database the way a small team's instance looks after a
// few weeks, through the same domain methods every door uses.
func seedTour(t *testing.T, env *apptest.Env) tourIDs {
	t.Helper()
	ctx, cli := context.Background(), app.CLI()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	env.Operator(t)
	owner := env.Customer(t, "acme", "olga@acme.test", app.RoleOwner)
	ben := env.Customer(t, "acme", "ben@acme.test", app.RoleMember)
	env.Customer(t, "globex", "gina@globex.test", app.RoleAdmin)
	for _, p := range []app.ProductInput{
		{Name: "Otomate Social - Pro", Slug: "otomate-social-pro", Description: "Schedule and publish everywhere.", Features: []string{"Unlimited posts", "All platforms"}, DocumentationURL: "https://docs.example.com/social"},
		{Name: "Otomate Analytics", Slug: "otomate-analytics", Description: "Reports for every channel.", Features: []string{"Dashboards", "CSV export"}},
		{Name: "Otomate Inbox", Slug: "otomate-inbox", Features: []string{"Shared inbox"}},
	} {
		_, err := env.Svc.CreateProduct(ctx, cli, p)
		must(err)
	}
	sub, err := env.Svc.CreateSubscription(ctx, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "otomate-social-pro",
		TotalSeats: 25, PricePerSeat: "29.99", BillingCycle: "monthly", Status: "active"})
	must(err)
	_, err = env.Svc.CreateSubscription(ctx, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "otomate-analytics",
		TotalSeats: 5, PricePerSeat: "9.50", BillingCycle: "yearly", Status: "trial", EndDate: "2026-03-01"})
	must(err)
	_, err = env.Svc.CreateSubscription(ctx, cli, app.SubscriptionInput{OrganizationID: "globex", ProductID: "otomate-inbox",
		TotalSeats: 10, PricePerSeat: "5", BillingCycle: "monthly", Status: "active"})
	must(err)
	_, err = env.Svc.AssignSeat(ctx, cli, sub.ID, owner.User.ID)
	must(err)
	c, err := env.Svc.CreateClient(ctx, cli, app.ClientInput{Name: "Otomate Web", Description: "The Otomate web app.",
		RedirectURIs: []string{"https://app.otomate.example/callback"}, AllowedOrigins: []string{"https://app.otomate.example"},
		AllowedScopes: []string{"openid", "email", "profile", "offline_access", "otomate-social-pro"}})
	must(err)
	key, err := env.Svc.CreateAPIKey(ctx, cli, app.APIKeyInput{OrganizationID: "acme", Name: "Billing sync"})
	must(err)
	hook, err := env.Svc.CreateWebhookEndpoint(ctx, cli, app.WebhookInput{OrganizationID: "acme", URL: "https://hooks.acme.example/optare",
		Events: []string{"seat.assigned", "seat.unassigned"}})
	must(err)
	// Olga has connected the web app: a real authorization and token.
	sess := &app.AuthSession{UserID: owner.User.ID, SessionVersion: owner.User.SessionVersion, AuthTime: env.Svc.Now(), ID: "tour"}
	req := oidc.AuthorizeRequest{ClientID: c.ClientID, RedirectURI: c.RedirectURIs[0], ResponseType: "code",
		Scopes: []string{"openid", "email", "otomate-social-pro"}, State: "s"}
	res, err := env.Svc.Authorize(ctx, app.AuthorizeInput{Request: req, Session: sess, Decision: app.DecisionApprove})
	must(err)
	if !strings.Contains(res.RedirectURL, "code=") {
		t.Fatalf("authorize: %s", res.RedirectURL)
	}
	return tourIDs{sub: sub.ID, client: c.ID, key: key.ID, webhook: hook.ID, user: ben.User.ID}
}

// height is the window height the checks use with a width: a laptop
// (1280×800) and a phone (390×844).
func height(width int64) int64 {
	if width < 1024 {
		return 844
	}
	return 800
}

// TestTourEveryPage signs in as an operator and as a customer's owner and
// opens every admin and portal page at desktop and phone widths: each shows
// its heading with its sidebar item current, and none makes the whole page
// scroll sideways (wide tables scroll inside their own frame). With
// OPTARE_SCREENSHOTS set it saves each page, the README's pictures.
func TestTourEveryPage(t *testing.T) {
	env := apptest.New(t)
	ids := seedTour(t, env)
	subID, clientID := ids.sub, ids.client
	ts := env.Server(t)
	pages := []struct {
		who, path, name string
	}{
		{"owner@example.com", "/admin/dashboard", "admin-dashboard"},
		{"owner@example.com", "/admin/monitoring", "admin-monitoring"},
		{"owner@example.com", "/admin/products", "admin-products"},
		{"owner@example.com", "/admin/products/new", "admin-product-new"},
		{"owner@example.com", "/admin/subscriptions", "admin-subscriptions"},
		{"owner@example.com", "/admin/subscriptions/new", "admin-subscription-new"},
		{"owner@example.com", "/admin/subscriptions/" + subID, "admin-subscription"},
		{"owner@example.com", "/admin/organizations", "admin-organizations"},
		{"owner@example.com", "/admin/organizations/acme", "admin-organization"},
		{"owner@example.com", "/admin/subscriptions/" + subID + "/cancel", "admin-subscription-cancel"},
		{"owner@example.com", "/admin/users", "admin-users"},
		{"owner@example.com", "/admin/users/" + ids.user, "admin-user"},
		{"owner@example.com", "/admin/users/" + ids.user + "/disable", "admin-user-disable"},
		{"owner@example.com", "/admin/clients", "admin-clients"},
		{"owner@example.com", "/admin/clients/new", "admin-client-new"},
		{"owner@example.com", "/admin/clients/" + clientID, "admin-client"},
		{"owner@example.com", "/admin/webhooks", "admin-webhooks"},
		{"owner@example.com", "/admin/webhooks/" + ids.webhook, "admin-webhook"},
		{"owner@example.com", "/admin/settings/api-keys", "admin-api-keys"},
		{"owner@example.com", "/admin/settings/api-keys/" + ids.key, "admin-api-key"},
		{"owner@example.com", "/admin/audit-logs", "admin-audit-logs"},
		{"olga@acme.test", "/portal/dashboard", "portal-dashboard"},
		{"olga@acme.test", "/portal/subscriptions", "portal-subscriptions"},
		{"olga@acme.test", "/portal/subscriptions/" + subID, "portal-seats"},
		{"olga@acme.test", "/portal/products", "portal-products"},
		{"olga@acme.test", "/portal/oauth-clients", "portal-connected-apps"},
		{"olga@acme.test", "/portal/members", "portal-members"},
		{"olga@acme.test", "/portal/webhooks", "portal-webhooks"},
		{"olga@acme.test", "/portal/machines", "portal-machines"},
		{"olga@acme.test", "/portal/account", "portal-account"},
	}
	tabs := map[string]context.Context{}
	for _, p := range pages {
		ctx, ok := tabs[p.who]
		if !ok {
			ctx = newBrowserFor(t, 8*time.Minute)
			signIn(t, ctx, ts.URL, p.who, apptest.Password)
			tabs[p.who] = ctx
		}
		for _, width := range []int64{1280, 390} {
			run(t, ctx, fmt.Sprintf("open %s at %dpx", p.path, width),
				chromedp.EmulateViewport(width, height(width)),
				chromedp.Navigate(ts.URL+p.path),
				chromedp.WaitVisible(chromedp.CSS("main h1")),
			)
			current := get(t, ctx, "current nav item", chromedp.Evaluate[string](`(document.querySelector('.section-nav [aria-current="page"]') || {}).textContent || ""`))
			if strings.TrimSpace(current) == "" {
				t.Errorf("%s: no current sidebar item", p.path)
			}
			if width < 768 {
				// Phones: the sections sit behind the Menu button, which names
				// the current one while closed.
				menu := get(t, ctx, "phone menu", chromedp.Evaluate[string](`(() => { const m = document.querySelector('details.nav-phone'); return m && !m.open && getComputedStyle(m).display !== 'none' ? m.querySelector('summary').textContent : ''; })()`))
				if !strings.Contains(menu, "Menu") || !strings.Contains(menu, strings.TrimSpace(current)) {
					t.Errorf("%s on a phone: menu button %q does not name the current section %q", p.path, menu, current)
				}
			}
			overflow := get(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			if overflow > 1 {
				t.Errorf("%s at %dpx: the page scrolls sideways by %dpx", p.path, width, overflow)
			}
			if width == 1280 {
				screenshot(t, ctx, "tour-"+p.name)
			} else {
				screenshot(t, ctx, "tour-"+p.name+"-phone")
			}
			checkPage(t, ctx, fmt.Sprintf("%s at %dpx", p.path, width), width)
		}
	}
}
