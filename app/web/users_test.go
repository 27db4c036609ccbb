package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

// oneTimeURL reads the shown-once link from a page.
func oneTimeURL(t *testing.T, body string) string {
	t.Helper()
	n := apptest.Find(t, body, func(n *html.Node) bool { return apptest.Attr(n, "id") == "one-time-url" })
	if n == nil || n.FirstChild == nil {
		t.Fatal("no one-time link on the page")
	}
	return n.FirstChild.Data
}

func TestAdminUsers(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")

	if res, body := b.Get("/admin/users"); res.StatusCode != http.StatusOK || !strings.Contains(body, "admin@acme.test") {
		t.Fatalf("list: %d", res.StatusCode)
	}
	res, body := b.PostForm("/admin/users", url.Values{"email": {"not-an-email"}, "name": {""}, "org": {"acme"}, "role": {"member"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "email-error") || !strings.Contains(body, "name-error") {
		t.Fatalf("invalid invite: %d", res.StatusCode)
	}
	res, body = b.PostForm("/admin/users", url.Values{"email": {"newbie@acme.test"}, "name": {"Newbie"}, "org": {"acme"}, "role": {"admin"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("invite: %d", res.StatusCode)
	}
	link := oneTimeURL(t, body)
	if !strings.Contains(link, "/password?token=") {
		t.Fatalf("link = %q", link)
	}
	// The link works: the invited user chooses a password and is signed in.
	u, _ := url.Parse(link)
	nb := apptest.NewBrowser(t, ts)
	res, _ = nb.PostForm("/password", url.Values{"token": {u.Query().Get("token")}, "password": {"newbie-password-1"}, "password_confirm": {"newbie-password-1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("use invitation: %d", res.StatusCode)
	}
	// The list filtered by organization shows roles.
	_, body = b.Get("/admin/users?org=acme")
	row := apptest.Find(t, body, func(n *html.Node) bool {
		return n.Data == "tr" && strings.HasPrefix(apptest.Attr(n, "id"), "user-") && strings.Contains(render(n), "newbie@acme.test")
	})
	if row == nil || !strings.Contains(render(row), "admin") {
		t.Fatal("invited user or role missing from the filtered list")
	}
	id := strings.TrimPrefix(apptest.Attr(row, "id"), "user-")

	if res, _ := b.PostForm("/admin/users/"+id+"/role", url.Values{"role": {"member"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("role change: %d", res.StatusCode)
	}
	if res, body := b.PostForm("/admin/users/"+id+"/role", url.Values{"role": {"boss"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose owner") {
		t.Fatalf("bad role: %d", res.StatusCode)
	}
	res, body = b.PostForm("/admin/users/"+id+"/reset-link", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(oneTimeURL(t, body), "/password?token=") {
		t.Fatalf("reset link: %d", res.StatusCode)
	}
	if res, _ := b.PostForm("/admin/users/"+id+"/disable", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res, _ := nb.Get("/portal/dashboard"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disabled user still signed in: %d", res.StatusCode)
	}
	_, body = b.Get("/admin/users/" + id)
	if !strings.Contains(body, "disabled") {
		t.Error("detail page does not say disabled")
	}
	if res, _ := b.Get("/admin/users/user_nope"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown user: %d", res.StatusCode)
	}
}

func render(n *html.Node) string {
	var sb strings.Builder
	html.Render(&sb, n)
	return sb.String()
}

func TestPortalMembers(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "owner@acme.test", app.RoleOwner)
	member := env.Customer(t, "acme", "member@acme.test", app.RoleMember)
	other := env.Customer(t, "globex", "boss@globex.test", app.RoleOwner)
	ts := env.Server(t)

	own := apptest.NewBrowser(t, ts)
	own.Login("owner@acme.test")
	res, body := own.Get("/portal/members")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "member@acme.test") || strings.Contains(body, "boss@globex.test") {
		t.Fatalf("members page: %d", res.StatusCode)
	}
	if apptest.Find(t, body, func(n *html.Node) bool { return n.Data == "a" && apptest.Attr(n, "href") == "/portal/members" }) == nil {
		t.Error("no Members link in the owner's sidebar")
	}

	// htmx role change answers the table and a flash.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/portal/members/"+member.User.ID+"/role", strings.NewReader("role=admin"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	res, body = own.Do(req)
	if res.StatusCode != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, views.MembersID) || !strings.Contains(body, "hx-swap-oob") {
		t.Fatalf("htmx role change: %d", res.StatusCode)
	}
	// Another organization's member is not reachable from here.
	if res, _ := own.PostForm("/portal/members/"+other.User.ID+"/role", url.Values{"role": {"member"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("changing another org's member: %d", res.StatusCode)
	}
	if res, _ := own.PostForm("/portal/members/"+other.User.ID+"/remove", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("removing another org's member: %d", res.StatusCode)
	}
	res, body = own.PostForm("/portal/members", url.Values{"email": {"friend@acme.test"}, "name": {"Friend"}, "role": {"member"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(oneTimeURL(t, body), "/password?token=") {
		t.Fatalf("invite: %d", res.StatusCode)
	}

	m := apptest.NewBrowser(t, ts)
	m.Login("member@acme.test") // now an admin
	if res, _ := m.Get("/portal/members"); res.StatusCode != http.StatusOK {
		t.Fatalf("admin on members: %d", res.StatusCode)
	}
	if res, _ := own.PostForm("/portal/members/"+member.User.ID+"/remove", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	if res, _ := m.Get("/portal/dashboard"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("removed member still signed in: %d", res.StatusCode)
	}

	plain := env.Customer(t, "acme", "plain@acme.test", app.RoleMember)
	p := apptest.NewBrowser(t, ts)
	p.Login(plain.User.Email)
	if res, _ := p.Get("/portal/members"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("member on members page: %d", res.StatusCode)
	}
	if _, body := p.Get("/portal/dashboard"); strings.Contains(body, `href="/portal/members"`) {
		t.Error("members link shown to a plain member")
	}
}
