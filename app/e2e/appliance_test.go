package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"optare/app/apptest"
	"optare/views"
)

// TestSetupLoginDashboardLogout drives the first-run path a newcomer takes:
// the printed setup link, the setup form, the admin dashboard, sign out, and
// sign in again.
func TestSetupLoginDashboardLogout(t *testing.T) {
	setupLoginDashboardLogout(t, apptest.New(t), screenshot)
}

// TestSetupLoginDashboardLogoutOnPostgres is the same path on PostgreSQL:
// the browser tests run on SQLite, and this one shows the portal, its
// sessions and its forms behave the same on the other engine.
func TestSetupLoginDashboardLogoutOnPostgres(t *testing.T) {
	setupLoginDashboardLogout(t, apptest.NewPostgres(t), func(*testing.T, context.Context, string) {})
}

func setupLoginDashboardLogout(t *testing.T, env *apptest.Env, screenshot func(*testing.T, context.Context, string)) {
	ctx := newBrowser(t)
	ts := env.Server(t)
	token, err := env.Svc.NewSetupLink(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	run(t, ctx, "open setup link",
		chromedp.Navigate(ts.URL+"/setup?token="+token),
		chromedp.WaitVisible(chromedp.ID("org_name")),
	)
	screenshot(t, ctx, "setup")
	run(t, ctx, "fill setup form with a short password",
		chromedp.SendKeys(chromedp.ID("org_name"), "Acme Operators"),
		chromedp.SendKeys(chromedp.ID("name"), "Ada Lovelace"),
		chromedp.SendKeys(chromedp.ID("email"), "ada@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "short"),
		chromedp.SendKeys(chromedp.ID("password_confirm"), "short"),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("password-error")),
	)
	if kept := get(t, ctx, "read kept email", chromedp.Value(chromedp.ID("email"))); kept != "ada@example.com" {
		t.Fatalf("email after failed setup = %q", kept)
	}
	screenshot(t, ctx, "setup-error")
	run(t, ctx, "fix the password and submit",
		chromedp.SetValue(chromedp.ID("password"), apptest.Password),
		chromedp.SetValue(chromedp.ID("password_confirm"), apptest.Password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID(views.RecentAuditID)),
	)
	if loc := get(t, ctx, "location", chromedp.Location()); !strings.HasSuffix(loc, "/admin/dashboard") {
		t.Fatalf("after setup at %s", loc)
	}
	screenshot(t, ctx, "admin-dashboard")

	run(t, ctx, "sign out from the header",
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
	)
	if loc := get(t, ctx, "location", chromedp.Location()); !strings.HasSuffix(loc, "/login") {
		t.Fatalf("after sign-out at %s", loc)
	}
	screenshot(t, ctx, "login")

	run(t, ctx, "sign in again",
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "ada@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), apptest.Password),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.ID(views.RecentAuditID)),
	)
	if loc := get(t, ctx, "location", chromedp.Location()); !strings.HasSuffix(loc, "/admin/dashboard") {
		t.Fatalf("after sign-in at %s", loc)
	}
	body := get(t, ctx, "dashboard text", chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(body, "auth.login") || !strings.Contains(body, "setup.completed") {
		t.Errorf("dashboard does not show the recent audit entries:\n%s", body)
	}
}
