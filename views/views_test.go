package views

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"golang.org/x/net/html"

	"optare/static"
)

// render renders c and parses the result as an HTML document.
func render(t *testing.T, c templ.Component) *html.Node {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

// all returns the elements under n that match.
func all(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			out = append(out, d)
		}
	}
	return out
}

// attr returns the value of an attribute and whether it is present.
func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// is matches elements by tag and exact attribute values (pairs of key, value).
func is(tag string, kv ...string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		if n.Data != tag {
			return false
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if v, ok := attr(n, kv[i]); !ok || v != kv[i+1] {
				return false
			}
		}
		return true
	}
}

// text returns the concatenated text under n.
func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// isSubmit matches buttons and inputs that submit a form.
func isSubmit(n *html.Node) bool {
	typ, _ := attr(n, "type")
	return (n.Data == "button" && (typ == "" || typ == "submit")) || (n.Data == "input" && typ == "submit")
}

// checkDocument asserts what every rendered document must satisfy: nothing
// the CSP would block, unique ids, and labels that point at real controls.
func checkDocument(t *testing.T, doc *html.Node) {
	t.Helper()
	ids := map[string]bool{}
	for _, n := range all(doc, func(*html.Node) bool { return true }) {
		if n.Data == "style" {
			t.Errorf("<style> element found")
		}
		if n.Data == "script" {
			if _, ok := attr(n, "src"); !ok || strings.TrimSpace(text(n)) != "" {
				t.Errorf("inline <script> found")
			}
		}
		for _, a := range n.Attr {
			if a.Key == "style" || strings.HasPrefix(a.Key, "on") || strings.HasPrefix(a.Key, "hx-on") {
				t.Errorf("<%s> has forbidden attribute %s=%q", n.Data, a.Key, a.Val)
			}
			if a.Key == "id" {
				if ids[a.Val] {
					t.Errorf("duplicate id %q", a.Val)
				}
				ids[a.Val] = true
			}
		}
	}
	for _, l := range all(doc, is("label")) {
		if f, ok := attr(l, "for"); ok && !ids[f] {
			t.Errorf("label for=%q has no matching id", f)
		}
	}
	for _, n := range all(doc, func(n *html.Node) bool { _, ok := attr(n, "aria-describedby"); return ok }) {
		v, _ := attr(n, "aria-describedby")
		for _, id := range strings.Fields(v) {
			if !ids[id] {
				t.Errorf("aria-describedby %q has no matching id", id)
			}
		}
	}
}

var operator = &NavUser{Name: "Ada Lovelace", Email: "ada@example.com", OrgName: "Optare Ops", IsOperator: true}

func TestComponentsRender(t *testing.T) {
	rows := []AuditRow{{ID: "aud_1", Time: "2025-01-02 10:00", Actor: "ada@example.com", Action: "product.created", Target: "prod_1", Org: "Acme", Outcome: "success", IP: "192.0.2.1"}}
	products := []ProductCard{{Slug: "analytics", Name: "Analytics", Description: "Charts.", Features: []string{"Dashboards", "Exports"}}}
	tests := map[string]templ.Component{
		"Layout zero":           Layout(Page{}),
		"Layout admin":          Layout(Page{Title: "Products", User: operator, Section: SectionAdmin, Active: "products", Flash: "Saved."}),
		"Layout portal":         Layout(Page{User: &NavUser{Email: "bob@example.com"}, Section: SectionPortal, Active: "account"}),
		"LoginPage zero":        LoginPage(LoginForm{}),
		"LoginPage failed":      LoginPage(LoginForm{Email: "a@b.c", Next: "/portal/dashboard", Error: "Email or password is incorrect.", Fields: FieldErrors{"email": "Enter a valid email."}}),
		"SetupPage zero":        SetupPage(SetupForm{}),
		"SetupPage failed":      SetupPage(SetupForm{Token: "tok", OrgName: "Acme", Name: "Ada", Email: "ada@acme.test", Error: "Fix the fields below.", Fields: FieldErrors{"password": "Too short.", "password_confirm": "Passwords don't match."}}),
		"SetupPage done":        SetupPage(SetupForm{Done: true}),
		"AdminDashboard zero":   AdminDashboardPage(AdminDashboard{}),
		"AdminDashboard full":   AdminDashboardPage(AdminDashboard{Page: Page{User: operator}, Products: 3, Organizations: 12, ActiveSubscriptions: 9, SeatsUsed: 41, SeatsTotal: 50, Clients: 4, SignIns24h: 1234, FailedSignIns24h: 2, Recent: rows}),
		"PortalDashboard zero":  PortalDashboardPage(PortalDashboard{}),
		"PortalDashboard full":  PortalDashboardPage(PortalDashboard{Page: Page{User: &NavUser{Name: "Bob"}}, OrgName: "Acme", Role: "owner", Products: products, Subscriptions: 1}),
		"ErrorPage zero":        ErrorPage(ErrorView{}),
		"ErrorPage 404":         ErrorPage(ErrorView{Page: Page{User: operator}, Status: 404}),
		"ErrorPage 403 custom":  ErrorPage(ErrorView{Status: 403, Title: "Operators only", Message: "Ask an owner."}),
		"TextField zero":        TextField(Field{}),
		"FormError zero":        FormError(""),
		"Flash zero":            Flash(""),
		"FlashOOB zero":         FlashOOB(""),
		"AuditTable zero":       AuditTable(nil),
		"AuditTable rows":       AuditTable(rows),
		"ProductCards zero":     ProductCards(nil),
		"ProductCards products": ProductCards(products),
		"LoginFormView zero":    LoginFormView(LoginForm{}),
		"SetupFormView zero":    SetupFormView(SetupForm{}),
		"LogoutPage zero":       LogoutPage(Page{}),
		"LogoutPage user":       LogoutPage(Page{User: operator}),
	}
	for name, c := range tests {
		t.Run(name, func(t *testing.T) {
			checkDocument(t, render(t, c))
		})
	}
}

func TestLoginPage(t *testing.T) {
	for name, f := range map[string]LoginForm{
		"empty":  {},
		"failed": {Email: "ada@example.com", Next: "/portal", Error: "Email or password is incorrect."},
	} {
		t.Run(name, func(t *testing.T) {
			doc := render(t, LoginPage(f))
			if n := len(all(doc, is("input", "type", "email", "name", "email"))); n != 1 {
				t.Errorf("email inputs = %d, want 1", n)
			}
			pw := all(doc, is("input", "type", "password", "name", "password"))
			if len(pw) != 1 {
				t.Fatalf("password inputs = %d, want 1", len(pw))
			}
			if _, ok := attr(pw[0], "value"); ok {
				t.Error("password input has a value")
			}
			if ac, _ := attr(pw[0], "autocomplete"); ac != "current-password" {
				t.Errorf("password autocomplete = %q", ac)
			}
			if n := len(all(doc, isSubmit)); n != 1 {
				t.Errorf("submit buttons = %d, want 1", n)
			}
			forms := all(doc, is("form", "id", LoginFormID, "method", "post", "action", "/login"))
			if len(forms) != 1 {
				t.Fatalf("login forms = %d, want 1", len(forms))
			}
			next := all(forms[0], is("input", "type", "hidden", "name", "next"))
			if len(next) != 1 {
				t.Fatalf("hidden next inputs = %d, want 1", len(next))
			}
			if v, _ := attr(next[0], "value"); v != f.Next {
				t.Errorf("next = %q, want %q", v, f.Next)
			}
			if f.Error != "" && !strings.Contains(text(doc), f.Error) {
				t.Errorf("form error %q not shown", f.Error)
			}
		})
	}
}

func TestLoginFieldError(t *testing.T) {
	doc := render(t, LoginFormView(LoginForm{Email: "nope", Fields: FieldErrors{"email": "Enter a valid email."}}))
	in := all(doc, is("input", "id", "email", "aria-invalid", "true", "aria-describedby", "email-error", "value", "nope"))
	if len(in) != 1 {
		t.Fatal("email input not marked invalid with its value kept")
	}
	if _, ok := attr(in[0], "autofocus"); !ok {
		t.Error("invalid email field not focused")
	}
	if got := text(all(doc, is("small", "id", "email-error"))[0]); got != "Enter a valid email." {
		t.Errorf("error text = %q", got)
	}
	// A valid field must not carry aria-invalid at all: Pico paints "false" green.
	if n := len(all(doc, is("input", "id", "password", "aria-invalid", "false"))); n != 0 {
		t.Error("valid field has aria-invalid=false")
	}
}

func TestSetupPageKeepsValuesButNotPasswords(t *testing.T) {
	f := SetupForm{Token: "tok_1", OrgName: "Acme Ops", Name: "Ada", Email: "ada@acme.test", Fields: FieldErrors{"password": "Too short."}}
	doc := render(t, SetupPage(f))
	for name, want := range map[string]string{"token": "tok_1", "org_name": "Acme Ops", "name": "Ada", "email": "ada@acme.test"} {
		in := all(doc, is("input", "name", name, "value", want))
		if len(in) != 1 {
			t.Errorf("input %s does not keep %q", name, want)
		}
	}
	for _, name := range []string{"password", "password_confirm"} {
		in := all(doc, is("input", "name", name, "type", "password", "autocomplete", "new-password"))
		if len(in) != 1 {
			t.Fatalf("password input %s missing", name)
		}
		if _, ok := attr(in[0], "value"); ok {
			t.Errorf("password input %s has a value", name)
		}
	}
	if len(all(doc, is("input", "id", "password", "autofocus", ""))) != 1 {
		t.Error("first invalid field is not focused")
	}
	if n := len(all(doc, isSubmit)); n != 1 {
		t.Errorf("submit buttons = %d, want 1", n)
	}
	if len(all(doc, is("form", "id", SetupFormID, "method", "post", "action", "/setup"))) != 1 {
		t.Error("setup form missing")
	}
}

func TestPasswordFieldNeverEchoes(t *testing.T) {
	doc := render(t, TextField(Field{Name: "password", Type: "password", Value: "hunter2hunter2"}))
	if strings.Contains(text(doc), "hunter2") || len(all(doc, is("input", "value", "hunter2hunter2"))) != 0 {
		t.Error("password value rendered")
	}
}

func TestSetupDone(t *testing.T) {
	doc := render(t, SetupPage(SetupForm{Done: true, Email: "x@y.z"}))
	if len(all(doc, is("form", "action", "/setup"))) != 0 {
		t.Error("setup form shown after setup is done")
	}
	if len(all(doc, is("a", "href", "/login"))) != 1 {
		t.Error("no link to /login")
	}
}

func TestLayoutNavigation(t *testing.T) {
	for _, section := range []string{SectionAdmin, SectionPortal} {
		for _, item := range SectionNav(section) {
			doc := render(t, Layout(Page{User: operator, Section: section, Active: item.Key}))
			aside := all(doc, is("aside"))
			if len(aside) != 1 {
				t.Fatalf("%s: asides = %d, want 1", section, len(aside))
			}
			cur := all(aside[0], is("a", "aria-current", "page"))
			if len(cur) != 1 {
				t.Fatalf("%s/%s: current items = %d, want 1", section, item.Key, len(cur))
			}
			if href, _ := attr(cur[0], "href"); href != item.Href {
				t.Errorf("%s/%s: current href = %q, want %q", section, item.Key, href, item.Href)
			}
			if len(all(doc, is("header"))) == 0 || len(all(doc, is("a", "href", "/"+section+"/dashboard", "aria-current", "page"))) < 1 {
				t.Errorf("%s: header link for the section not current", section)
			}
		}
	}
}

func TestLayoutChrome(t *testing.T) {
	doc := render(t, Layout(Page{Title: "Products", User: operator, Section: SectionAdmin, Active: "products", Flash: "Product saved."}))
	if got := text(all(doc, is("title"))[0]); got != "Products · Optare" {
		t.Errorf("title = %q", got)
	}
	if len(all(doc, is("html", "lang", "en"))) != 1 {
		t.Error("no lang=en")
	}
	if len(all(doc, is("a", "href", "#"+MainID))) != 1 || len(all(doc, is("main", "id", MainID))) != 1 {
		t.Error("skip link or main missing")
	}
	flash := all(doc, is("div", "id", FlashID))
	if len(flash) != 1 || !strings.Contains(text(flash[0]), "Product saved.") {
		t.Error("flash not rendered")
	}
	if len(all(doc, is("form", "method", "post", "action", "/logout"))) != 1 {
		t.Error("sign-out is not a POST form")
	}
	if len(all(doc, is("a", "href", "/admin/dashboard"))) < 1 {
		t.Error("operator has no Admin link")
	}
	for _, asset := range []struct{ tag, key, name string }{
		{"link", "href", "pico.min.css"}, {"link", "href", "app.css"}, {"script", "src", "htmx.min.js"}, {"link", "href", "favicon.svg"},
	} {
		if len(all(doc, is(asset.tag, asset.key, static.Path(asset.name)))) != 1 {
			t.Errorf("%s not linked with its versioned path", asset.name)
		}
	}
	meta := all(doc, is("meta", "name", "htmx-config"))
	if len(meta) != 1 {
		t.Fatal("no htmx-config meta")
	}
	content, _ := attr(meta[0], "content")
	var cfg struct {
		IncludeIndicatorStyles *bool `json:"includeIndicatorStyles"`
		AllowEval              *bool `json:"allowEval"`
	}
	if err := json.Unmarshal([]byte(content), &cfg); err != nil {
		t.Fatalf("htmx-config is not JSON: %v", err)
	}
	if cfg.IncludeIndicatorStyles == nil || *cfg.IncludeIndicatorStyles || cfg.AllowEval == nil || *cfg.AllowEval {
		t.Errorf("htmx-config = %s", content)
	}
}

func TestLayoutNonOperator(t *testing.T) {
	doc := render(t, Layout(Page{User: &NavUser{Name: "Bob"}, Section: SectionPortal}))
	if len(all(doc, is("a", "href", "/admin/dashboard"))) != 0 {
		t.Error("non-operator sees the Admin link")
	}
	anon := render(t, Layout(Page{}))
	if len(all(anon, is("form", "action", "/logout"))) != 0 || len(all(anon, is("aside"))) != 0 {
		t.Error("anonymous page has sign-out or sidebar")
	}
}

func TestDashboards(t *testing.T) {
	doc := render(t, AdminDashboardPage(AdminDashboard{}))
	if !strings.Contains(text(doc), "Nothing has happened yet.") {
		t.Error("admin empty state missing")
	}
	if len(all(doc, is("aside"))) != 1 || len(all(doc, is("a", "href", "/admin/dashboard", "aria-current", "page"))) == 0 {
		t.Error("admin dashboard does not default its nav")
	}
	doc = render(t, AdminDashboardPage(AdminDashboard{Recent: []AuditRow{{ID: "aud_1", Outcome: "failure"}}}))
	if len(all(doc, is("tr", "id", "audit-aud_1"))) != 1 || len(all(doc, is("span", "class", "badge badge-failure"))) != 1 {
		t.Error("audit row or outcome badge missing")
	}
	doc = render(t, PortalDashboardPage(PortalDashboard{}))
	if !strings.Contains(text(doc), "Your organization has no products yet. Ask your administrator.") {
		t.Error("portal empty state missing")
	}
	doc = render(t, PortalDashboardPage(PortalDashboard{OrgName: "Acme", Products: []ProductCard{{Slug: "crm", Name: "CRM", Features: []string{"Leads"}}}}))
	if len(all(doc, is("article", "id", "product-crm"))) != 1 || !strings.Contains(text(doc), "Welcome to Acme") {
		t.Error("product card or welcome missing")
	}
}

func TestErrorPage(t *testing.T) {
	doc := render(t, ErrorPage(ErrorView{}))
	if !strings.Contains(text(doc), "500") || !strings.Contains(text(doc), "Something went wrong") {
		t.Error("zero ErrorView is not a 500 page")
	}
	doc = render(t, ErrorPage(ErrorView{Status: 404, Page: Page{User: operator}}))
	if !strings.Contains(text(doc), "Page not found") || len(all(doc, is("a", "href", "/admin/dashboard", "role", "button"))) != 1 {
		t.Error("404 page lacks title or home link")
	}
	doc = render(t, ErrorPage(ErrorView{Status: 401}))
	if len(all(doc, is("a", "href", "/login", "role", "button"))) != 1 {
		t.Error("401 page lacks sign-in link")
	}
}
