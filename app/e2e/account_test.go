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

// signIn opens the login page in a browser tab and signs in.
func signIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	run(t, ctx, "sign in as "+email,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
	)
}

// TestPasswordChangeEndsOtherSession: two browsers signed in as the same
// user; changing the password in one keeps it signed in and signs the other
// out. Also walks the invitation link and the admin audit log and
// organizations pages.
func TestPasswordChangeEndsOtherSession(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "mia@acme.test", app.RoleMember)
	ts := env.Server(t)
	first := newBrowser(t)
	second := newBrowser(t)

	signIn(t, first, ts.URL, "mia@acme.test", apptest.Password)
	signIn(t, second, ts.URL, "mia@acme.test", apptest.Password)
	run(t, first, "open account page",
		chromedp.Navigate(ts.URL+"/portal/account"),
		chromedp.WaitVisible(chromedp.ID(views.PasswordFormID)),
	)
	screenshot(t, first, "portal-account")
	run(t, first, "wrong current password shows an inline error",
		chromedp.SendKeys(chromedp.ID("current_password"), "not-the-password"),
		chromedp.SendKeys(chromedp.ID("password"), "a-new-long-password"),
		chromedp.SendKeys(chromedp.ID("password_confirm"), "a-new-long-password"),
		chromedp.Click(chromedp.CSS("#"+views.PasswordFormID+" button")),
		chromedp.WaitVisible(chromedp.ID("current_password-error")),
	)
	run(t, first, "change the password",
		chromedp.SetValue(chromedp.ID("current_password"), apptest.Password),
		chromedp.SetValue(chromedp.ID("password"), "a-new-long-password"),
		chromedp.SetValue(chromedp.ID("password_confirm"), "a-new-long-password"),
		chromedp.Click(chromedp.CSS("#"+views.PasswordFormID+" button")),
		chromedp.WaitVisible(chromedp.CSS(".flash p")),
	)
	flash := get(t, first, "flash", chromedp.Text(chromedp.CSS(".flash p")))
	if !strings.Contains(flash, "password was changed") {
		t.Fatalf("flash = %q", flash)
	}
	run(t, second, "the other browser is signed out",
		chromedp.Navigate(ts.URL+"/portal/account"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
	)
	if loc := get(t, second, "location", chromedp.Location()); !strings.Contains(loc, "/login") {
		t.Fatalf("other browser at %s", loc)
	}
}

func TestAdminPagesInBrowser(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	ts := env.Server(t)
	ctx := newBrowser(t)
	signIn(t, ctx, ts.URL, "owner@example.com", apptest.Password)
	run(t, ctx, "create an organization with an inline error first",
		chromedp.Navigate(ts.URL+"/admin/organizations"),
		chromedp.WaitVisible(chromedp.ID(views.OrganizationFormID)),
		chromedp.SendKeys(chromedp.CSS("#"+views.OrganizationFormID+" #slug"), "Not A Slug"),
		chromedp.SendKeys(chromedp.CSS("#"+views.OrganizationFormID+" #name"), "Initech"),
		chromedp.Click(chromedp.CSS("#"+views.OrganizationFormID+" button")),
		chromedp.WaitVisible(chromedp.ID("slug-error")),
		chromedp.Clear(chromedp.CSS("#"+views.OrganizationFormID+" #slug")),
		chromedp.Click(chromedp.CSS("#"+views.OrganizationFormID+" button")),
		chromedp.WaitVisible(chromedp.ID("org-initech")),
	)
	screenshot(t, ctx, "admin-organizations")
	run(t, ctx, "audit log filters in place",
		chromedp.Navigate(ts.URL+"/admin/audit-logs"),
		chromedp.WaitVisible(chromedp.ID(views.AuditResultsID)),
		chromedp.SendKeys(chromedp.ID("action"), "organization.created"),
		chromedp.Click(chromedp.CSS(`form.filters button`)),
	)
	get(t, ctx, "results filtered in place", chromedp.Poll[bool](`location.search.includes("action=organization.created") && document.querySelectorAll("#audit-results tr[id^=audit-]").length === 2`))
	loc := get(t, ctx, "location", chromedp.Location())
	if !strings.Contains(loc, "action=organization.created") {
		t.Errorf("filter URL not pushed: %s", loc)
	}
	screenshot(t, ctx, "admin-audit-logs")
}
