package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

// htmx sends req as htmx would.
func htmx(b *apptest.Browser, method, path string, form url.Values) (*http.Response, string) {
	b.T.Helper()
	var req *http.Request
	if method == http.MethodGet {
		req, _ = http.NewRequest(method, b.Base+path, nil)
	} else {
		req, _ = http.NewRequest(method, b.Base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", b.Base)
	}
	req.Header.Set("HX-Request", "true")
	return b.Do(req)
}

// htmxRegion is an htmx GET whose answer replaces the region with id target.
func htmxRegion(b *apptest.Browser, path, target string) (*http.Response, string) {
	b.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.Base+path, nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", target)
	return b.Do(req)
}

func TestProductPages(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")

	res, body := b.Get("/admin/products")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Create your first product") {
		t.Fatalf("empty list: %d", res.StatusCode)
	}
	res, body = b.Get("/admin/products/new")
	if res.StatusCode != http.StatusOK || len(apptest.FindAll(t, body, apptest.Input("feature"))) != 2 {
		t.Fatalf("new form: %d", res.StatusCode)
	}

	// Without JavaScript, "Add feature" and "Remove" post the form back.
	form := url.Values{"name": {"Otomate Social"}, "slug": {""}, "feature": {"Posts", "Platforms"}, "add_feature": {"1"}}
	res, body = b.PostForm("/admin/products", form)
	if res.StatusCode != http.StatusOK || len(apptest.FindAll(t, body, apptest.Input("feature"))) != 3 {
		t.Fatalf("add feature row: %d", res.StatusCode)
	}
	form.Del("add_feature")
	form["feature"] = []string{"Posts", "Platforms", "Analytics"}
	form.Set("remove_feature", "1")
	res, body = b.PostForm("/admin/products", form)
	rows := apptest.FindAll(t, body, apptest.Input("feature"))
	if res.StatusCode != http.StatusOK || len(rows) != 2 || apptest.Attr(rows[1], "value") != "Analytics" {
		t.Fatalf("remove feature row: %d", res.StatusCode)
	}
	// With htmx, the rows come as fragments.
	res, body = htmx(b, http.MethodGet, "/admin/products/feature-row?add_feature=1", nil)
	if res.StatusCode != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, `name="feature"`) {
		t.Fatalf("feature row fragment: %d %s", res.StatusCode, body)
	}

	// Slug suggestion: follows the name until the user types their own.
	res, body = htmx(b, http.MethodGet, "/admin/products/slug?"+url.Values{"name": {"Otomate Social – Pro"}, "slug": {""}, "slug_suggested": {""}}.Encode(), nil)
	if res.StatusCode != http.StatusOK || apptest.Attr(apptest.Find(t, body, apptest.Input("slug")), "value") != "otomate-social-pro" {
		t.Fatalf("slug suggestion: %d %s", res.StatusCode, body)
	}
	res, _ = htmx(b, http.MethodGet, "/admin/products/slug?"+url.Values{"name": {"Otomate X"}, "slug": {"mine"}, "slug_suggested": {"otomate-social-pro"}}.Encode(), nil)
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("typed slug kept: %d", res.StatusCode)
	}

	// Validation: 422, inline field errors, only the form for htmx.
	res, body = htmx(b, http.MethodPost, "/admin/products", url.Values{"name": {"Bad"}, "slug": {"Not A Slug"}, "documentation_url": {"ftp://x"}})
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, "<html") || !strings.Contains(body, views.ProductFormID) ||
		!strings.Contains(body, "slug-error") || !strings.Contains(body, "documentation_url-error") {
		t.Fatalf("invalid via htmx: %d\n%s", res.StatusCode, body)
	}

	// Two missing fields are asked for in the same words.
	res, body = b.PostForm("/admin/products", url.Values{"name": {" "}, "slug": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter a name.") || !strings.Contains(body, "Enter a slug.") || strings.Contains(body, "This field is required") {
		t.Fatalf("missing name and slug: %d\n%s", res.StatusCode, body)
	}

	form = url.Values{"name": {"Otomate Social"}, "slug": {""}, "description": {"Social scheduling"}, "feature": {"Posts", "", "Analytics"}}
	res, body = htmx(b, http.MethodPost, "/admin/products", form)
	if res.StatusCode != http.StatusOK || res.Header.Get("HX-Location") != "/admin/products" {
		t.Fatalf("create via htmx: %d %s", res.StatusCode, body)
	}
	p, err := env.Svc.ProductByRef(t.Context(), app.CLI(), "otomate-social")
	if err != nil || strings.Join(p.Features, ",") != "Posts,Analytics" {
		t.Fatalf("created: %+v %v", p, err)
	}
	_, body = b.Get("/admin/products")
	if apptest.Find(t, body, apptest.ByID("product-otomate-social")) == nil || !strings.Contains(body, "was created") {
		t.Fatal("product or flash missing from the list")
	}
	res, body = b.PostForm("/admin/products", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "slug-error") {
		t.Fatalf("duplicate slug: %d", res.StatusCode)
	}

	// Edit, then archive.
	res, body = b.Get("/admin/products/otomate-social/edit")
	if res.StatusCode != http.StatusOK || apptest.Attr(apptest.Find(t, body, apptest.Input("name")), "value") != "Otomate Social" {
		t.Fatalf("edit form: %d", res.StatusCode)
	}
	res, _ = b.PostForm("/admin/products/otomate-social", url.Values{"name": {"Otomate Social Pro"}, "feature": {"Posts"}, "documentation_url": {"https://docs.example.com"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", res.StatusCode)
	}
	if p, _ := env.Svc.ProductByRef(t.Context(), app.CLI(), "otomate-social"); p.Name != "Otomate Social Pro" || len(p.Features) != 1 || p.DocumentationURL == "" {
		t.Fatalf("updated: %+v", p)
	}
	if res, _ := b.Get("/admin/products/nope/edit"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown product: %d", res.StatusCode)
	}
	res, _ = b.PostForm("/admin/products/otomate-social/archive", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("archive: %d", res.StatusCode)
	}
	_, body = b.Get("/admin/products")
	if apptest.Find(t, body, apptest.ByID("product-otomate-social")) != nil {
		t.Fatal("archived product still listed by default")
	}
	// After HX-Location htmx loads the whole page; the filter only the table.
	if _, body := htmx(b, http.MethodGet, "/admin/products", nil); !strings.Contains(body, "<html") {
		t.Fatal("htmx page load without a target got a fragment")
	}
	res, body = htmxRegion(b, "/admin/products?archived=1", views.ProductsID)
	if strings.Contains(body, "<html") || !strings.Contains(body, "badge-archived") || apptest.Find(t, body, apptest.ByID("product-otomate-social")) == nil {
		t.Fatalf("include archived via htmx: %d", res.StatusCode)
	}
}

func TestAdminCatalogForbiddenToCustomers(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)
	env.Customer(t, "acme", "member@acme.test", app.RoleMember)
	ts := env.Server(t)
	for _, email := range []string{"admin@acme.test", "member@acme.test"} {
		b := apptest.NewBrowser(t, ts)
		b.Login(email)
		for _, path := range []string{"/admin/products", "/admin/products/new", "/admin/subscriptions", "/admin/subscriptions/new"} {
			if res, _ := b.Get(path); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", email, path, res.StatusCode)
			}
		}
		for _, path := range []string{"/admin/products", "/admin/subscriptions", "/admin/subscriptions/sub_x/seats", "/admin/products/alpha/archive"} {
			if res, _ := b.PostForm(path, url.Values{"name": {"x"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST %s: %d, want 403", email, path, res.StatusCode)
			}
		}
	}
}
