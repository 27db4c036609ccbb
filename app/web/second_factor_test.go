package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"golang.org/x/net/html"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

// nodeText is the trimmed text content of n.
func nodeText(n *html.Node) string {
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
	return strings.TrimSpace(b.String())
}

// setUpApp goes through "Set up an authenticator app" in b and returns the
// secret shown and the recovery codes.
func setUpApp(t *testing.T, env *apptest.Env, b *apptest.Browser, path string) (string, []string) {
	t.Helper()
	res, body := b.Get(path)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Set up an authenticator app") {
		t.Fatalf("set-up page: %d", res.StatusCode)
	}
	img := apptest.Find(t, body, apptest.ByID("totp-qr"))
	if img == nil || !strings.HasPrefix(apptest.Attr(img, "src"), "data:image/png;base64,") {
		t.Fatal("no server-made QR code")
	}
	secret := nodeText(apptest.Find(t, body, apptest.ByID("totp-secret")))
	next := apptest.Attr(apptest.Find(t, body, apptest.Input("next")), "value")
	res, body = b.PostForm("/portal/account/authenticator", url.Values{"code": {"000000"}, "next": {next}})
	if res.StatusCode != http.StatusUnprocessableEntity || apptest.Find(t, body, apptest.ByID("code-error")) == nil {
		t.Fatalf("wrong code: %d", res.StatusCode)
	}
	code, _ := totp.GenerateCode(secret, env.Clock.Now())
	res, body = b.PostForm("/portal/account/authenticator", url.Values{"code": {code}, "next": {next}})
	list := apptest.Find(t, body, apptest.ByID(views.RecoveryCodesID))
	if res.StatusCode != http.StatusOK || list == nil {
		t.Fatalf("confirm: %d\n%s", res.StatusCode, body)
	}
	var codes []string
	for li := list.FirstChild; li != nil; li = li.NextSibling {
		if li.Type == html.ElementNode {
			codes = append(codes, nodeText(li))
		}
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes", len(codes))
	}
	return secret, codes
}

func TestAuthenticatorAppSignIn(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	ts := env.Server(t)

	b := apptest.NewBrowser(t, ts)
	b.Login("m@acme.test")
	_, body := b.Get("/portal/account")
	link := apptest.Find(t, body, func(n *html.Node) bool { return n.Data == "a" && nodeText(n) == "Set up an authenticator app" })
	if link == nil {
		t.Fatal("account page has no \"Set up an authenticator app\"")
	}
	secret, codes := setUpApp(t, env, b, apptest.Attr(link, "href"))

	// Signing in now takes a code.
	b = apptest.NewBrowser(t, ts)
	res, _ := b.PostForm("/login", url.Values{"email": {"m@acme.test"}, "password": {apptest.Password}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/login/second-factor" {
		t.Fatalf("password step: %d → %q", res.StatusCode, loc)
	}
	if res, _ := b.Get("/portal/account"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("portal reachable after the password alone: %d", res.StatusCode)
	}
	_, body = b.Get("/login/second-factor")
	if apptest.Find(t, body, func(n *html.Node) bool { return n.Data == "a" && nodeText(n) == "Use a recovery code" }) == nil {
		t.Fatal("no \"Use a recovery code\" link")
	}
	res, _ = b.PostForm("/login/second-factor", url.Values{"method": {"totp"}, "code": {"000000"}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong code: %d", res.StatusCode)
	}
	env.Clock.Advance(30 * time.Second)
	code, _ := totp.GenerateCode(secret, env.Clock.Now())
	res, _ = b.PostForm("/login/second-factor", url.Values{"method": {"totp"}, "code": {code}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/portal/dashboard" {
		t.Fatalf("right code: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := b.Get("/portal/account"); res.StatusCode != http.StatusOK {
		t.Fatalf("account after two steps: %d", res.StatusCode)
	}

	// The same code in another browser is a replay.
	c := apptest.NewBrowser(t, ts)
	c.Login("m@acme.test")
	if res, _ := c.PostForm("/login/second-factor", url.Values{"method": {"totp"}, "code": {code}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("replayed code: %d", res.StatusCode)
	}
	// A recovery code works once.
	_, body = c.Get("/login/second-factor?method=recovery")
	if apptest.Find(t, body, func(n *html.Node) bool { return n.Data == "input" && apptest.Attr(n, "value") == "recovery" }) == nil {
		t.Fatal("recovery form missing")
	}
	if res, _ := c.PostForm("/login/second-factor", url.Values{"method": {"recovery"}, "code": {codes[3]}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recovery code: %d", res.StatusCode)
	}
	d := apptest.NewBrowser(t, ts)
	d.Login("m@acme.test")
	if res, _ := d.PostForm("/login/second-factor", url.Values{"method": {"recovery"}, "code": {codes[3]}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("recovery code reused: %d", res.StatusCode)
	}
	// The second step does not wait for ever.
	env.Clock.Advance(6 * time.Minute)
	code, _ = totp.GenerateCode(secret, env.Clock.Now())
	if res, _ := d.PostForm("/login/second-factor", url.Values{"method": {"totp"}, "code": {code}}); res.Header.Get("Location") != "/login" {
		t.Fatalf("late second step: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestMFAPolicyForcesSetup(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "owner@acme.test", app.RoleOwner)
	env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	ts := env.Server(t)

	owner := apptest.NewBrowser(t, ts)
	owner.Login("owner@acme.test")
	res, body := owner.Get("/portal/members")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Require a second factor") {
		t.Fatalf("members page without the policy form: %d", res.StatusCode)
	}
	if res, _ := owner.PostForm("/portal/members/mfa-policy", url.Values{"require_mfa": {"true"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner sets policy: %d", res.StatusCode)
	}
	// The owner's own next request goes to set-up.
	if res, _ := owner.Get("/portal/members"); !strings.HasPrefix(res.Header.Get("Location"), "/portal/account/authenticator") {
		t.Fatalf("owner not sent to set-up: %d %q", res.StatusCode, res.Header.Get("Location"))
	}

	m := apptest.NewBrowser(t, ts)
	m.Login("m@acme.test")
	res, _ = m.Get("/portal/products")
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/portal/account/authenticator?next=") {
		t.Fatalf("member not sent to set-up: %d %q", res.StatusCode, loc)
	}
	if res, _ := m.PostForm("/portal/account/profile", url.Values{"name": {"X"}}); res.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(res.Header.Get("Location"), "/portal/account/authenticator") {
		t.Fatalf("member acted before set-up: %d", res.StatusCode)
	}
	setUpApp(t, env, m, loc)
	if res, _ := m.Get("/portal/products"); res.StatusCode != http.StatusOK {
		t.Fatalf("after set-up: %d", res.StatusCode)
	}
	// Removing the only factor is refused while the policy holds.
	if res, _ := m.PostForm("/portal/account/authenticator/remove", nil); res.StatusCode != http.StatusConflict {
		t.Fatalf("remove under policy: %d", res.StatusCode)
	}
}

func TestSensitiveActionsNeedFreshSignIn(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("m@acme.test")
	if res, _ := b.Get("/portal/account/authenticator"); res.StatusCode != http.StatusOK {
		t.Fatalf("fresh sign-in: %d", res.StatusCode)
	}
	env.Clock.Advance(11 * time.Minute)
	res, _ := b.Get("/portal/account/authenticator")
	want := "/login?prompt=login&next=" + url.QueryEscape("/portal/account/authenticator")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("stale sign-in: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/portal/account/password", strings.NewReader(url.Values{
		"current_password": {apptest.Password}, "password": {"another-long-password"}, "password_confirm": {"another-long-password"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", ts.URL+"/portal/account")
	res, _ = b.Do(req)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?prompt=login") {
		t.Fatalf("password change on a stale sign-in: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, err := env.Svc.Login(t.Context(), "1.1.1.1", "m@acme.test", "another-long-password"); err == nil {
		t.Fatal("password changed on a stale sign-in")
	}
	// Signing in again (the login form shows though a session exists) and
	// the page works.
	_, body := b.Get(want)
	if apptest.Find(t, body, apptest.ByID(views.LoginFormID)) == nil {
		t.Fatal("no login form for the fresh sign-in")
	}
	res, _ = b.PostForm("/login", url.Values{"email": {"m@acme.test"}, "password": {apptest.Password}, "next": {"/portal/account/authenticator"}})
	if res.Header.Get("Location") != "/portal/account/authenticator" {
		t.Fatalf("after signing in again: %q", res.Header.Get("Location"))
	}
	if res, _ := b.Get("/portal/account/authenticator"); res.StatusCode != http.StatusOK {
		t.Fatalf("after a fresh sign-in: %d", res.StatusCode)
	}
}
