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

// consentTo runs the authorization request of clientID in b (signed in)
// and approves it, as a user connecting an app does.
func consentTo(t *testing.T, b *apptest.Browser, clientID, redirect string) {
	t.Helper()
	q := url.Values{"client_id": {clientID}, "redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"openid email"}, "state": {"s"}}
	res, body := b.Get("/oauth/authorize?" + q.Encode())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("authorize: %d", res.StatusCode)
	}
	form := url.Values{}
	for _, n := range apptest.FindAll(t, body, func(n *html.Node) bool { return n.Data == "input" && apptest.Attr(n, "type") == "hidden" }) {
		form.Add(apptest.Attr(n, "name"), apptest.Attr(n, "value"))
	}
	form.Set("decision", "approve")
	if res, _ := b.PostForm("/oauth/authorize", form); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), redirect) {
		t.Fatalf("approve: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestConnectedAppsPage(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "ada@acme.test", app.RoleMember)
	const redirect = "https://app.example.com/cb"
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"Acme Dashboard", "Acme Reports"} {
		c, err := env.Svc.CreateClient(ctx, app.CLI(), app.ClientInput{Name: name, RedirectURIs: []string{redirect}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ClientID)
	}
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("ada@acme.test")
	if _, body := b.Get("/portal/oauth-clients"); !strings.Contains(body, "not connected any apps") {
		t.Fatal("no empty state")
	}
	for _, id := range ids {
		consentTo(t, b, id, redirect)
	}
	res, body := b.Get("/portal/oauth-clients")
	row := apptest.Find(t, body, apptest.ByID("app-"+ids[0]))
	if res.StatusCode != http.StatusOK || row == nil {
		t.Fatalf("list: %d", res.StatusCode)
	}
	var text strings.Builder
	collectText(row, &text)
	for _, want := range []string{"Acme Dashboard", "See your email address", "2026-01-15", "Revoke"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("row lacks %q: %s", want, text.String())
		}
	}
	confirm := apptest.Find(t, body, func(n *html.Node) bool {
		return n.Data == "a" && apptest.Attr(n, "href") == "/portal/oauth-clients/"+ids[0]+"/disconnect"
	})
	if confirm == nil || apptest.Attr(confirm, "hx-get") != "/portal/oauth-clients/"+ids[0]+"/disconnect" {
		t.Fatal("Revoke does not lead to the confirmation")
	}

	// The confirmation's form: a redirect, then the list without the app
	// and the flash.
	res, _ = confirmed(t, b, "/portal/oauth-clients/"+ids[0]+"/disconnect")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/portal/oauth-clients" {
		t.Fatalf("revoke: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := b.Get("/portal/oauth-clients"); apptest.Find(t, body, apptest.ByID("app-"+ids[0])) != nil ||
		apptest.Find(t, body, apptest.ByID("app-"+ids[1])) == nil || !strings.Contains(body, "was revoked") {
		t.Fatalf("list after revoking:\n%s", body)
	}
	res, _ = confirmed(t, b, "/portal/oauth-clients/"+ids[1]+"/disconnect")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/portal/oauth-clients" {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if _, body := b.Get("/portal/oauth-clients"); !strings.Contains(body, "was revoked") || !strings.Contains(body, "not connected any apps") {
		t.Error("after revoking both: no flash or no empty state")
	}
	if res, _ := b.PostForm("/portal/oauth-clients/"+ids[1]+"/disconnect", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("revoke again: %d, want 404", res.StatusCode)
	}
}
