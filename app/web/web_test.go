package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"optare/app"
	"optare/app/apptest"
)

func TestSetupLinkFlow(t *testing.T) {
	env := apptest.New(t)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	token, err := env.Svc.NewSetupLink(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res, body := b.Get("/setup?token=" + token)
	if res.StatusCode != http.StatusOK || apptest.Find(t, body, apptest.Input("org_name")) == nil {
		t.Fatalf("setup page: %d\n%s", res.StatusCode, body)
	}

	// A failed POST keeps what was typed, except the passwords.
	form := url.Values{"token": {token}, "org_name": {"Acme Ops"}, "name": {"Ada"}, "email": {"ada@example.com"},
		"password": {"too-short"}, "password_confirm": {"too-short"}}
	res, body = b.PostForm("/setup", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid setup: status %d", res.StatusCode)
	}
	if v := apptest.Attr(apptest.Find(t, body, apptest.Input("email")), "value"); v != "ada@example.com" {
		t.Errorf("email not kept: %q", v)
	}
	if v := apptest.Attr(apptest.Find(t, body, apptest.Input("password")), "value"); v != "" {
		t.Errorf("password echoed back: %q", v)
	}
	if !strings.Contains(body, "at least 12") && !strings.Contains(body, "At least 12") {
		t.Errorf("no password field error in page")
	}

	form.Set("password", apptest.Password)
	form.Set("password_confirm", apptest.Password)
	res, _ = b.PostForm("/setup", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/dashboard" {
		t.Fatalf("setup: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, body = b.Get("/admin/dashboard")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Ada") {
		t.Fatalf("dashboard after setup: %d", res.StatusCode)
	}

	// The link works once.
	other := apptest.NewBrowser(t, ts)
	res, body = other.Get("/setup?token=" + token)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "/login") || apptest.Find(t, body, apptest.Input("org_name")) != nil {
		t.Fatalf("setup link after setup: %d\n%s", res.StatusCode, body)
	}
	res, _ = other.PostForm("/setup", form)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("second setup POST: %d, want 409", res.StatusCode)
	}
}

func TestSetupBadToken(t *testing.T) {
	env := apptest.New(t)
	b := apptest.NewBrowser(t, env.Server(t))
	if res, _ := b.Get("/setup?token=nope"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("bad token: %d, want 403", res.StatusCode)
	}
}

func TestLoginAndRoles(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "member@acme.test", app.RoleMember)
	ts := env.Server(t)

	t.Run("login page shape", func(t *testing.T) {
		_, body := apptest.NewBrowser(t, ts).Get("/login")
		emails := apptest.FindAll(t, body, func(n *html.Node) bool {
			return n.Data == "input" && apptest.Attr(n, "type") == "email" && apptest.Attr(n, "name") == "email"
		})
		passwords := apptest.FindAll(t, body, func(n *html.Node) bool {
			return n.Data == "input" && apptest.Attr(n, "type") == "password" && apptest.Attr(n, "name") == "password"
		})
		submits := apptest.FindAll(t, body, func(n *html.Node) bool {
			return (n.Data == "button" && apptest.Attr(n, "type") != "button") || (n.Data == "input" && apptest.Attr(n, "type") == "submit")
		})
		if len(emails) != 1 || len(passwords) != 1 || len(submits) != 1 {
			t.Fatalf("login form: %d email, %d password, %d submit inputs", len(emails), len(passwords), len(submits))
		}
	})

	t.Run("wrong password keeps email, not password", func(t *testing.T) {
		b := apptest.NewBrowser(t, ts)
		res, body := b.PostForm("/login", url.Values{"email": {"owner@example.com"}, "password": {"wrong-password-1"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Incorrect email or password") {
			t.Fatalf("wrong password: %d", res.StatusCode)
		}
		if v := apptest.Attr(apptest.Find(t, body, apptest.Input("email")), "value"); v != "owner@example.com" {
			t.Errorf("email not kept: %q", v)
		}
		if v := apptest.Attr(apptest.Find(t, body, apptest.Input("password")), "value"); v != "" {
			t.Errorf("password echoed: %q", v)
		}
	})

	t.Run("operator lands on admin, member on portal and is kept out of admin", func(t *testing.T) {
		op := apptest.NewBrowser(t, ts)
		res, _ := op.PostForm("/login", url.Values{"email": {"owner@example.com"}, "password": {apptest.Password}})
		if res.Header.Get("Location") != "/admin/dashboard" {
			t.Fatalf("operator → %q", res.Header.Get("Location"))
		}
		m := apptest.NewBrowser(t, ts)
		res, _ = m.PostForm("/login", url.Values{"email": {"member@acme.test"}, "password": {apptest.Password}})
		if res.Header.Get("Location") != "/portal/dashboard" {
			t.Fatalf("member → %q", res.Header.Get("Location"))
		}
		if res, _ := m.Get("/portal/dashboard"); res.StatusCode != http.StatusOK {
			t.Fatalf("member portal: %d", res.StatusCode)
		}
		if res, _ := m.Get("/admin/dashboard"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("member admin: %d, want 403", res.StatusCode)
		}
	})

	t.Run("session cookie is renewed at login", func(t *testing.T) {
		b := apptest.NewBrowser(t, ts)
		u, _ := url.Parse(ts.URL)
		b.Get("/login?next=/portal/dashboard") // may or may not set a cookie
		before := cookieValue(b, u)
		b.Login("member@acme.test")
		after := cookieValue(b, u)
		if after == "" || after == before {
			t.Fatalf("session token not renewed at login (%q → %q)", before, after)
		}
	})

	t.Run("next is followed only when local", func(t *testing.T) {
		for next, want := range map[string]string{"/portal/dashboard?x=1": "/portal/dashboard?x=1", "//evil.example/": "/portal/dashboard", "https://evil.example/": "/portal/dashboard"} {
			b := apptest.NewBrowser(t, ts)
			res, _ := b.PostForm("/login", url.Values{"email": {"member@acme.test"}, "password": {apptest.Password}, "next": {next}})
			if got := res.Header.Get("Location"); got != want {
				t.Errorf("next=%q → %q, want %q", next, got, want)
			}
		}
	})

	t.Run("signed-out visitors are sent to login and back", func(t *testing.T) {
		res, _ := apptest.NewBrowser(t, ts).Get("/admin/dashboard")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Fadmin%2Fdashboard" {
			t.Fatalf("anonymous admin: %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
	})

	t.Run("logout", func(t *testing.T) {
		b := apptest.NewBrowser(t, ts)
		b.Login("member@acme.test")
		if res, body := b.Get("/logout"); res.StatusCode != http.StatusOK || apptest.Find(t, body, func(n *html.Node) bool { return n.Data == "form" && apptest.Attr(n, "action") == "/logout" }) == nil {
			t.Fatalf("logout page: %d", res.StatusCode)
		}
		res, _ := b.PostForm("/logout", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Fatalf("logout: %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		if res, _ := b.Get("/portal/dashboard"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("portal after logout: %d", res.StatusCode)
		}
	})

	t.Run("password change ends other sessions", func(t *testing.T) {
		b := apptest.NewBrowser(t, ts)
		b.Login("member@acme.test")
		acc, err := env.Svc.Login(context.Background(), "127.0.0.1", "member@acme.test", apptest.Password)
		if err != nil {
			t.Fatal(err)
		}
		if err := env.Svc.SetPassword(context.Background(), acc.Actor(""), acc.User.ID, "a-brand-new-password"); err != nil {
			t.Fatal(err)
		}
		if res, _ := b.Get("/portal/dashboard"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("old session still works: %d", res.StatusCode)
		}
	})
}

func cookieValue(b *apptest.Browser, u *url.URL) string {
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == "optare_session" {
			return c.Value
		}
	}
	return ""
}

func TestCrossOriginPostRefused(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader("email=owner%40example.com&password="+apptest.Password))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, _ := b.Do(req)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site login POST: %d, want 403", res.StatusCode)
	}
}

func TestPlumbing(t *testing.T) {
	env := apptest.New(t)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	res, _ := b.Get("/login")
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"X-Frame-Options":        "DENY",
	} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
	if res, body := b.Get("/healthz"); res.StatusCode != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", res.StatusCode, body)
	}
	if res, _ := b.Get("/readyz"); res.StatusCode != 200 {
		t.Errorf("readyz: %d", res.StatusCode)
	}
	if res, _ := b.Get("/no/such/page"); res.StatusCode != 404 {
		t.Errorf("unknown page: %d", res.StatusCode)
	}
	big := url.Values{"email": {strings.Repeat("a", 2<<20)}}
	if res, _ := b.PostForm("/login", big); res.StatusCode != http.StatusRequestEntityTooLarge && res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("2 MiB body: %d, want 413", res.StatusCode)
	}
	if res, _ := b.Get("/static/htmx.min.js"); res.StatusCode != 200 {
		t.Errorf("static asset: %d", res.StatusCode)
	}
}
