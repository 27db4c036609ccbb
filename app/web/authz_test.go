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

var adminRoute = regexp.MustCompile(`mux\.Handle\("(GET|POST) (/admin/[^"]*)"`)
var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// TestAdminRoutesRefuseCustomers reads every /admin route from routes.go and
// checks that a customer's member and a customer's admin both get 403 —
// for every route there is or will be, not a hand-kept list.
func TestAdminRoutesRefuseCustomers(t *testing.T) {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	routes := adminRoute.FindAllStringSubmatch(string(src), -1)
	if len(routes) < 20 {
		t.Fatalf("found only %d admin routes in routes.go", len(routes))
	}
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "member@acme.test", app.RoleMember)
	env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)
	ts := env.Server(t)
	for _, email := range []string{"member@acme.test", "admin@acme.test"} {
		b := apptest.NewBrowser(t, ts)
		b.Login(email)
		for _, rt := range routes {
			path := pathParam.ReplaceAllString(rt[2], "x")
			var res *http.Response
			if rt[1] == "GET" {
				res, _ = b.Get(path)
			} else {
				res, _ = b.PostForm(path, nil)
			}
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %s %s answered %d, want 403", email, rt[1], path, res.StatusCode)
			}
		}
	}
	// Signed out, every admin page sends the visitor to sign in.
	anon := apptest.NewBrowser(t, ts)
	for _, rt := range routes {
		if rt[1] != "GET" {
			continue
		}
		res, _ := anon.Get(pathParam.ReplaceAllString(rt[2], "x"))
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("anonymous GET %s: %d → %q", rt[2], res.StatusCode, res.Header.Get("Location"))
		}
	}
}
