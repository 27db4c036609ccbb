package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"optare/app"
	"optare/app/apptest"
)

// TestMonitoringInBrowser: the Monitoring page and an API key's usage chart
// draw their bars with data, fit a desktop and a phone screen, and the
// table fallback opens.
func TestMonitoringInBrowser(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	cust := env.Customer(t, "acme", "olga@acme.test", app.RoleOwner)
	key, err := env.Svc.CreateAPIKey(t.Context(), app.CLI(), app.APIKeyInput{OrganizationID: cust.Org.ID, Name: "billing-sync"})
	if err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	for i := range 6 {
		path := "/api/v1/products"
		if i%3 == 2 {
			path = "/api/v1/products/nope"
		}
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+key.Key)
		req.Header.Set("X-API-Secret", key.Secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		env.Clock.Advance(50 * 60e9) // spread over several hours
	}
	res, err := http.PostForm(ts.URL+"/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"nope"}, "client_secret": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()

	ctx := newBrowser(t)
	signIn(t, ctx, ts.URL, "owner@example.com", apptest.Password)
	bars := func(id string) int {
		return get(t, ctx, "bars of "+id, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('#%s svg[role=img] rect').length`, id)))
	}
	fits := func(page, id string, width int64) {
		w := get(t, ctx, "chart width", chromedp.Evaluate[int](fmt.Sprintf(`Math.round(document.querySelector('#%s svg[role=img]').getBoundingClientRect().width)`, id)))
		if w < 200 || int64(w) > width {
			t.Errorf("%s at %dpx: chart %s is %dpx wide", page, width, id, w)
		}
		overflow := get(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
		if overflow > 1 {
			t.Errorf("%s at %dpx: the page scrolls sideways by %dpx", page, width, overflow)
		}
	}
	for _, width := range []int64{1280, 390} {
		run(t, ctx, fmt.Sprintf("monitoring at %dpx", width),
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(ts.URL+"/admin/monitoring"),
			chromedp.WaitVisible(chromedp.CSS("#chart-requests-24h svg")),
		)
		if n := bars("chart-requests-24h"); n < 4 {
			t.Errorf("requests chart at %dpx: %d bars", width, n)
		}
		if n := bars("chart-oauth-failures"); n != 1 {
			t.Errorf("oauth failures chart at %dpx: %d bars, want 1", width, n)
		}
		fits("/admin/monitoring", "chart-requests-24h", width)
		current := get(t, ctx, "current nav item", chromedp.Evaluate[string](`(document.querySelector('.section-nav [aria-current="page"]') || {}).textContent?.trim() || ""`))
		if current != "Monitoring" {
			t.Errorf("current sidebar item %q", current)
		}
		run(t, ctx, "open the table fallback",
			chromedp.Click(chromedp.CSS("#chart-oauth-failures summary")),
			chromedp.WaitVisible(chromedp.CSS("#chart-oauth-failures table")),
		)
		screenshot(t, ctx, fmt.Sprintf("admin-monitoring-%d", width))

		run(t, ctx, fmt.Sprintf("key page at %dpx", width),
			chromedp.Navigate(ts.URL+"/admin/settings/api-keys"),
			chromedp.Click(chromedp.CSS(`a[href="/admin/settings/api-keys/`+key.ID+`"]`)),
			chromedp.WaitVisible(chromedp.CSS("#chart-key-requests-24h svg")),
		)
		if n := bars("chart-key-requests-24h"); n < 5 {
			t.Errorf("key chart at %dpx: %d bars, want one per hour used", width, n)
		}
		fits("api key page", "chart-key-requests-24h", width)
		screenshot(t, ctx, fmt.Sprintf("admin-api-key-%d", width))
	}
}
