package web_test

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
)

var pageRoute = regexp.MustCompile(`mux\.Handle\("GET (/(?:admin|portal)/[^"{]*)"`)

// TestPagesBothWays requests every portal page without parameters as a plain
// browser and as htmx: the plain answer is a whole document (the page works
// without JavaScript), the htmx answer succeeds too, and both vary on
// HX-Request so caches keep them apart.
func TestPagesBothWays(t *testing.T) {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	routes := pageRoute.FindAllStringSubmatch(string(src), -1)
	if len(routes) < 15 {
		t.Fatalf("found only %d pages in routes.go", len(routes))
	}
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "olga@acme.test", app.RoleOwner)
	ts := env.Server(t)
	for _, who := range []string{"owner@example.com", "olga@acme.test"} {
		b := apptest.NewBrowser(t, ts)
		b.Login(who)
		prefix := "/portal/"
		if who == "owner@example.com" {
			prefix = "/admin/"
		}
		checked := 0
		for _, rt := range routes {
			path := rt[1]
			if !strings.HasPrefix(path, prefix) || strings.HasSuffix(path, "/slug") || strings.HasSuffix(path, "/feature-row") {
				continue // htmx-only helpers of the product form
			}
			checked++
			res, body := b.Get(path)
			if res.StatusCode == http.StatusSeeOther {
				res, body = b.Get(res.Header.Get("Location"))
			}
			if res.StatusCode != http.StatusOK || !strings.Contains(body, "<html") {
				t.Errorf("%s GET %s: %d, full page %v", who, path, res.StatusCode, strings.Contains(body, "<html"))
				continue
			}
			req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
			req.Header.Set("HX-Request", "true")
			res, _ = b.Do(req)
			if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusSeeOther {
				t.Errorf("%s htmx GET %s: %d", who, path, res.StatusCode)
			}
			if res.StatusCode == http.StatusOK && !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "HX-Request") {
				t.Errorf("%s GET %s: no Vary: HX-Request", who, path)
			}
		}
		if checked < 6 {
			t.Errorf("%s: only %d pages checked", who, checked)
		}
	}
}
