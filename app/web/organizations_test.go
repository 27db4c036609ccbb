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

func TestOrganizationsPage(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "m@acme.test", app.RoleAdmin)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")

	res, body := b.Get("/admin/organizations")
	if res.StatusCode != http.StatusOK || apptest.Find(t, body, func(n *html.Node) bool { return apptest.Attr(n, "id") == "org-acme" }) == nil {
		t.Fatalf("list: %d", res.StatusCode)
	}
	res, body = b.PostForm("/admin/organizations", url.Values{"name": {"Globex Corporation"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.StatusCode, body)
	}
	_, body = b.Get("/admin/organizations")
	if apptest.Find(t, body, func(n *html.Node) bool { return apptest.Attr(n, "id") == "org-globex-corporation" }) == nil || !strings.Contains(body, "was created") {
		t.Fatal("new organization or flash missing")
	}
	// Duplicate slug: 422 with the field named, form kept; via htmx only the form.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/admin/organizations", strings.NewReader(url.Values{"name": {"Acme again"}, "slug": {"acme"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	res, body = b.Do(req)
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, "<html") || !strings.Contains(body, views.OrganizationFormID) || !strings.Contains(body, "slug-error") {
		t.Fatalf("duplicate slug via htmx: %d\n%s", res.StatusCode, body)
	}
	res, body = b.PostForm("/admin/organizations", url.Values{"name": {""}, "slug": {"Bad Slug"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "name-error") || !strings.Contains(body, "slug-error") {
		t.Fatalf("invalid: %d", res.StatusCode)
	}
	m := apptest.NewBrowser(t, ts)
	m.Login("m@acme.test")
	if res, _ := m.PostForm("/admin/organizations", url.Values{"name": {"Sneaky"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("customer admin creating an org: %d", res.StatusCode)
	}
}
