package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

func TestAPIKeyPages(t *testing.T) {
	env := apptest.New(t)
	op := env.Operator(t)
	customer := env.Customer(t, "acme", "boss@acme.test", app.RoleOwner)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")

	res, body := b.Get("/admin/settings/api-keys")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "No API keys yet") {
		t.Fatalf("empty list: %d", res.StatusCode)
	}
	selected := apptest.Find(t, body, func(n *html.Node) bool {
		_, sel := attrPresent(n, "selected")
		return n.Data == "option" && sel
	})
	if selected == nil || apptest.Attr(selected, "value") != op.Org.ID {
		t.Fatal("the organization select does not default to the operator organization")
	}
	if apptest.Find(t, body, func(n *html.Node) bool { return n.Data == "option" && apptest.Attr(n, "value") == customer.Org.ID }) == nil {
		t.Fatal("customer organization missing from the select")
	}

	// Invalid: errors beside the fields, 422, values kept; htmx gets the form alone.
	form := url.Values{"organization_id": {customer.Org.ID}, "name": {""}, "environment": {"staging"}, "expires_at": {"2020-01-01"}}
	res, body = b.PostForm("/admin/settings/api-keys", form)
	for _, id := range []string{"name-error", "environment-error", "expires_at-error"} {
		if apptest.Find(t, body, apptest.ByID(id)) == nil {
			t.Errorf("no %s", id)
		}
	}
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "<html") {
		t.Fatalf("invalid create: %d", res.StatusCode)
	}
	res, body = htmxPost(b, "/admin/settings/api-keys", form)
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, "<html") || apptest.Find(t, body, apptest.ByID(views.APIKeyFormID)) == nil {
		t.Fatalf("invalid create via htmx: %d\n%s", res.StatusCode, body)
	}
	res, body = b.PostForm("/admin/settings/api-keys", url.Values{"organization_id": {"org_nope"}, "name": {"Sync"}})
	if res.StatusCode != http.StatusUnprocessableEntity || apptest.Find(t, body, apptest.ByID("organization_id-error")) == nil {
		t.Fatalf("unknown organization: %d", res.StatusCode)
	}

	// Created: key and secret shown once; htmx swaps the page into <main>.
	res, body = htmxPost(b, "/admin/settings/api-keys", url.Values{"organization_id": {customer.Org.ID}, "name": {"Billing sync"},
		"environment": {"test"}, "expires_at": {"2027-01-31"}})
	key := apptest.Attr(apptest.Find(t, body, apptest.ByID(views.APIKeyValueID)), "value")
	secret := apptest.Attr(apptest.Find(t, body, apptest.ByID(views.APIKeySecretValueID)), "value")
	if res.StatusCode != http.StatusOK || res.Header.Get("HX-Retarget") != "#"+views.MainID || !strings.HasPrefix(key, "key_") || !strings.HasPrefix(secret, "sk_") {
		t.Fatalf("create via htmx: %d key %q secret %q\n%s", res.StatusCode, key, secret, body)
	}
	if strings.Count(body, secret) != 1 {
		t.Errorf("secret appears %d times", strings.Count(body, secret))
	}
	env.Clock.Advance(time.Hour)
	actor, err := env.Svc.AuthenticateAPI(context.Background(), app.BearerRequest(key), secret, "127.0.0.1")
	if err != nil || actor.OrgID != customer.Org.ID {
		t.Fatalf("the shown key does not authenticate: %v %+v", err, actor)
	}
	if err := env.Svc.FlushAPIKeyUsage(context.Background()); err != nil {
		t.Fatal(err)
	}

	// Listed with its organization, environment, last use and expiry; never its secret.
	_, list := b.Get("/admin/settings/api-keys")
	row := apptest.Find(t, list, apptest.ByID("key-"+key))
	if row == nil || strings.Contains(list, secret) {
		t.Fatalf("list after create:\n%s", list)
	}
	var text strings.Builder
	collectText(row, &text)
	for _, want := range []string{"Billing sync", "acme", "test", "2026-01-15", "2026-01-15 10:00 UTC", "2027-01-31", "Revoke"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("row lacks %q: %s", want, text.String())
		}
	}

	// Revoke, as the UI does it: the confirmation's plain form, then a
	// redirect and the flash on the page; the key stops working.
	res, _ = confirmed(t, b, "/admin/settings/api-keys/"+key+"/revoke")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/settings/api-keys" {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if _, err := env.Svc.AuthenticateAPI(context.Background(), app.BearerRequest(key), secret, "127.0.0.1"); err == nil {
		t.Fatal("revoked key still authenticates")
	}
	_, list = b.Get("/admin/settings/api-keys")
	if !strings.Contains(list, "was revoked") {
		t.Error("no flash after revoke")
	}
	row = apptest.Find(t, list, apptest.ByID("key-"+key))
	text.Reset()
	if row != nil {
		collectText(row, &text)
	}
	if !strings.Contains(text.String(), "Revoked") {
		t.Errorf("the revoked key's row does not say so: %s", text.String())
	}
	if res, _ := b.PostForm("/admin/settings/api-keys/key_nope/revoke", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("revoke unknown key: %d", res.StatusCode)
	}
}

func collectText(n *html.Node, b *strings.Builder) {
	if n.Type == html.TextNode {
		b.WriteString(n.Data)
		b.WriteByte(' ')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collectText(c, b)
	}
}
