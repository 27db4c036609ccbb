package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"optare/app"
	"optare/app/apptest"
)

// text is the text content of n.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// TestMonitoringPage: requests, a failed OAuth flow, a failed sign-in and
// API key use show in the Monitoring page's charts and tables, and on the
// key's own page; customers cannot open it.
func TestMonitoringPage(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	cust := env.Customer(t, "acme", "olga@acme.test", app.RoleOwner)
	key, err := env.Svc.CreateAPIKey(t.Context(), app.CLI(), app.APIKeyInput{OrganizationID: cust.Org.ID, Name: "billing-sync"})
	if err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/products", nil)
		req.Header.Set("Authorization", "Bearer "+key.Key)
		req.Header.Set("X-API-Secret", key.Secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	res, err := http.PostForm(ts.URL+"/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"nope"}, "client_secret": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	env.Svc.Login(t.Context(), "10.0.0.9", "olga@acme.test", "wrong password")

	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")
	res, body := b.Get("/admin/monitoring")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("monitoring: %d", res.StatusCode)
	}
	charts := apptest.FindAll(t, body, func(n *html.Node) bool { return n.Data == "svg" && apptest.Attr(n, "role") == "img" })
	if len(charts) != 6 {
		t.Fatalf("%d charts, want 6", len(charts))
	}
	for _, c := range charts {
		if apptest.Attr(c, "aria-labelledby") == "" || apptest.Find(t, body, apptest.ByID(strings.Fields(apptest.Attr(c, "aria-labelledby"))[0])) == nil {
			t.Errorf("chart without a title: %v", c.Attr)
		}
	}
	oauth := text(apptest.Find(t, body, apptest.ByID("chart-oauth-failures")))
	if !strings.Contains(oauth, "invalid_client (1)") {
		t.Errorf("oauth failures chart: %q", oauth)
	}
	if s := text(apptest.Find(t, body, apptest.ByID("chart-sign-ins"))); !strings.Contains(s, "failure (1)") || !strings.Contains(s, "success (1)") {
		t.Errorf("sign-ins chart: %q", s)
	}
	if s := text(apptest.Find(t, body, apptest.ByID("chart-requests-24h"))); !strings.Contains(s, "2xx") || !strings.Contains(s, "4xx (1)") {
		t.Errorf("requests chart: %q", s)
	}
	if rects := apptest.FindAll(t, body, func(n *html.Node) bool { return n.Data == "rect" && apptest.Attr(n, "height") != "12" }); len(rects) < 4 {
		t.Errorf("%d bars drawn", len(rects))
	}
	top := text(apptest.Find(t, body, func(n *html.Node) bool {
		return n.Data == "section" && apptest.Attr(n, "aria-labelledby") == "top-keys-heading"
	}))
	if !strings.Contains(top, "billing-sync") || !strings.Contains(top, key.ID) {
		t.Errorf("top keys: %q", top)
	}

	res, body = b.Get("/admin/settings/api-keys/" + key.ID)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("key page: %d", res.StatusCode)
	}
	if s := text(apptest.Find(t, body, apptest.ByID("chart-key-requests-24h"))); !strings.Contains(s, "requests (2)") {
		t.Errorf("key chart: %q", s)
	}
	if s := text(apptest.Find(t, body, apptest.ByID("key-last-used"))); strings.Contains(s, "Never") {
		t.Errorf("last used: %q", s)
	}
	if res, _ := b.Get("/admin/settings/api-keys/key_nope"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown key: %d", res.StatusCode)
	}

	c := apptest.NewBrowser(t, ts)
	c.Login("olga@acme.test")
	if res, _ := c.Get("/admin/monitoring"); res.StatusCode == http.StatusOK {
		t.Error("a customer opened the Monitoring page")
	}
}

// TestPortalProductUsage: the client portal's Products page shows the
// organization's licence checks and seats in use per product.
func TestPortalProductUsage(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	ctx := t.Context()
	m := env.Customer(t, "acme", "mia@acme.test", app.RoleMember)
	if _, err := env.Svc.CreateProduct(ctx, app.CLI(), app.ProductInput{Name: "Alpha", Slug: "alpha"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.CreateSubscription(ctx, app.CLI(), app.SubscriptionInput{OrganizationID: "acme", ProductID: "alpha",
		TotalSeats: 5, PricePerSeat: "10", BillingCycle: "monthly", Status: "active"}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := env.Svc.CheckLicense(ctx, m.Actor(""), app.LicenseQuery{Product: "alpha"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.Svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("mia@acme.test")
	res, body := b.Get("/portal/products")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("products: %d", res.StatusCode)
	}
	if s := text(apptest.Find(t, body, apptest.ByID("chart-license_checks-alpha"))); !strings.Contains(s, "VALID (3)") {
		t.Errorf("licence checks chart: %q", s)
	}
	if s := text(apptest.Find(t, body, apptest.ByID("chart-seats_used-alpha"))); !strings.Contains(s, "seats (1)") {
		t.Errorf("seats chart: %q", s)
	}
}
