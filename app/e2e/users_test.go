package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

// TestInviteUserInBrowser: an operator adds a user in the admin portal, the
// invitation link from the page opens in another browser, the new user
// chooses a password and lands in the client portal; their organization's
// owner then sees them under Members.
func TestInviteUserInBrowser(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "olga@acme.test", app.RoleOwner)
	ts := env.Server(t)
	admin := newBrowser(t)
	signIn(t, admin, ts.URL, "owner@example.com", apptest.Password)
	run(t, admin, "invite a user",
		chromedp.Navigate(ts.URL+"/admin/users"),
		chromedp.WaitVisible(chromedp.ID(views.InviteFormID)),
		chromedp.SendKeys(chromedp.CSS("#"+views.InviteFormID+" #email"), "nina@acme.test"),
		chromedp.SendKeys(chromedp.CSS("#"+views.InviteFormID+" #name"), "Nina New"),
		chromedp.SetValue(chromedp.ID("invite-org"), "acme"),
		chromedp.Click(chromedp.CSS("#"+views.InviteFormID+" button")),
		chromedp.WaitVisible(chromedp.ID("one-time-url")),
	)
	screenshot(t, admin, "admin-users-invited")
	link := get(t, admin, "read link", chromedp.Text(chromedp.ID("one-time-url")))
	if !strings.Contains(link, "/password?token=") {
		t.Fatalf("link = %q", link)
	}

	nina := newBrowser(t)
	run(t, nina, "use the invitation",
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("password"), "ninas-own-password"),
		chromedp.SendKeys(chromedp.ID("password_confirm"), "ninas-own-password"),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID(views.ProductCardsID)),
	)
	screenshot(t, nina, "portal-dashboard")

	owner := newBrowser(t)
	signIn(t, owner, ts.URL, "olga@acme.test", apptest.Password)
	run(t, owner, "members page",
		chromedp.Navigate(ts.URL+"/portal/members"),
		chromedp.WaitVisible(chromedp.ID(views.MembersID)),
	)
	body := get(t, owner, "members text", chromedp.Text(chromedp.ID(views.MembersID)))
	if !strings.Contains(body, "nina@acme.test") {
		t.Fatalf("new member not listed:\n%s", body)
	}
	screenshot(t, owner, "portal-members")
	run(t, admin, "user detail page",
		chromedp.Navigate(ts.URL+"/admin/users?org=acme"),
		chromedp.WaitVisible(chromedp.ID(views.UsersID)),
	)
	screenshot(t, admin, "admin-users")
}
