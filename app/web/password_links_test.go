package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"optare/app"
	"optare/app/apptest"
)

func TestPasswordLinkPage(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)
	_, link, err := env.Svc.InviteUser(context.Background(), app.CLI(), app.InviteInput{Email: "new@acme.test", Name: "Newt", OrgRef: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	if res, body := b.Get("/password?token=" + url.QueryEscape(link.Token)); res.StatusCode != http.StatusOK || apptest.Find(t, body, apptest.Input("password")) == nil {
		t.Fatalf("invite page: %d", res.StatusCode)
	}
	res, _ := b.PostForm("/password", url.Values{"token": {link.Token}, "password": {"x"}, "password_confirm": {"x"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("short password: %d", res.StatusCode)
	}
	res, _ = b.PostForm("/password", url.Values{"token": {link.Token}, "password": {"newts-password-1"}, "password_confirm": {"newts-password-1"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/portal/dashboard" {
		t.Fatalf("set password: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := b.Get("/portal/dashboard"); res.StatusCode != http.StatusOK {
		t.Fatalf("not signed in after setting the password: %d", res.StatusCode)
	}
	if res, _ := apptest.NewBrowser(t, ts).Get("/password?token=" + url.QueryEscape(link.Token)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("used link: %d", res.StatusCode)
	}
}
