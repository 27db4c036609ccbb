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

func TestAccountPage(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	ts := env.Server(t)

	b := apptest.NewBrowser(t, ts)
	b.Login("m@acme.test")
	other := apptest.NewBrowser(t, ts)
	other.Login("m@acme.test")

	res, body := b.Get("/portal/account")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("account page: %d", res.StatusCode)
	}
	rows := apptest.FindAll(t, body, func(n *html.Node) bool { return n.Data == "tr" && strings.HasPrefix(apptest.Attr(n, "id"), "session-") })
	if len(rows) != 2 {
		t.Fatalf("%d session rows, want 2", len(rows))
	}

	t.Run("rename, plain and htmx", func(t *testing.T) {
		res, body := b.PostForm("/portal/account/profile", url.Values{"name": {""}})
		if res.StatusCode != http.StatusUnprocessableEntity || apptest.Find(t, body, func(n *html.Node) bool { return apptest.Attr(n, "id") == "name-error" }) == nil {
			t.Fatalf("empty name: %d", res.StatusCode)
		}
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/portal/account/profile", strings.NewReader("name="))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		res, body = b.Do(req)
		if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, "<html") || !strings.Contains(body, views.ProfileFormID) {
			t.Fatalf("htmx empty name: %d, full page=%v", res.StatusCode, strings.Contains(body, "<html"))
		}
		res, _ = b.PostForm("/portal/account/profile", url.Values{"name": {"Mona Member"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("rename: %d", res.StatusCode)
		}
		_, body = b.Get("/portal/account")
		if !strings.Contains(body, "Your name was saved.") || !strings.Contains(body, "Mona Member") {
			t.Error("no flash or new name after rename")
		}
	})

	t.Run("wrong current password", func(t *testing.T) {
		res, body := b.PostForm("/portal/account/password", url.Values{"current_password": {"nope-nope-nope"}, "password": {"a-new-long-password"}, "password_confirm": {"a-new-long-password"}})
		if res.StatusCode != http.StatusUnprocessableEntity || apptest.Find(t, body, func(n *html.Node) bool { return apptest.Attr(n, "id") == "current_password-error" }) == nil {
			t.Fatalf("wrong current: %d", res.StatusCode)
		}
	})

	t.Run("password change keeps this session, ends the other", func(t *testing.T) {
		res, _ := b.PostForm("/portal/account/password", url.Values{"current_password": {apptest.Password}, "password": {"a-new-long-password"}, "password_confirm": {"a-new-long-password"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("change: %d", res.StatusCode)
		}
		if res, _ := b.Get("/portal/account"); res.StatusCode != http.StatusOK {
			t.Fatalf("this browser lost its session: %d", res.StatusCode)
		}
		if res, _ := other.Get("/portal/account"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("other browser still signed in: %d", res.StatusCode)
		}
	})

	t.Run("end another session", func(t *testing.T) {
		third := apptest.NewBrowser(t, ts)
		res, _ := third.PostForm("/login", url.Values{"email": {"m@acme.test"}, "password": {"a-new-long-password"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatal("third login failed")
		}
		_, body := b.Get("/portal/account")
		links := apptest.FindAll(t, body, func(n *html.Node) bool {
			return n.Data == "a" && strings.HasSuffix(apptest.Attr(n, "href"), "/end")
		})
		if len(links) != 1 {
			t.Fatalf("%d end buttons, want 1 (the other session)", len(links))
		}
		res, _ = confirmed(t, b, apptest.Attr(links[0], "href"))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/portal/account" {
			t.Fatalf("end: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		if _, body := b.Get("/portal/account"); !strings.Contains(body, "The session was signed out.") {
			t.Error("no flash after ending a session")
		}
		if res, _ := third.Get("/portal/dashboard"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("ended session still works: %d", res.StatusCode)
		}
	})
}
