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

func auditRowIDs(t *testing.T, body string) []string {
	var ids []string
	for _, n := range apptest.FindAll(t, body, func(n *html.Node) bool { return n.Data == "tr" && strings.HasPrefix(apptest.Attr(n, "id"), "audit-") }) {
		ids = append(ids, apptest.Attr(n, "id"))
	}
	return ids
}

func TestAuditLogPage(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	for range 60 {
		env.Svc.Login(t.Context(), "10.0.0.1", "m@acme.test", apptest.Password)
		env.Clock.Advance(1e9)
	}
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")

	res, body := b.Get("/admin/audit-logs")
	if res.StatusCode != http.StatusOK || len(auditRowIDs(t, body)) != 50 {
		t.Fatalf("first page: %d, %d rows", res.StatusCode, len(auditRowIDs(t, body)))
	}
	next := apptest.Find(t, body, func(n *html.Node) bool { return n.Data == "a" && strings.Contains(apptest.Attr(n, "href"), "cursor=") })
	if next == nil {
		t.Fatal("no link to older entries")
	}
	_, body2 := b.Get(apptest.Attr(next, "href"))
	first, second := auditRowIDs(t, body), auditRowIDs(t, body2)
	if len(second) == 0 || second[0] == first[len(first)-1] {
		t.Fatalf("second page overlaps or is empty (%d rows)", len(second))
	}

	// Filters: plain and htmx; the htmx answer is only the results region.
	_, body = b.Get("/admin/audit-logs?" + url.Values{"action": {"user.created"}, "org": {"acme"}}.Encode())
	if ids := auditRowIDs(t, body); len(ids) != 1 {
		t.Fatalf("action+org filter: %d rows, want 1", len(ids))
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/admin/audit-logs?action=setup.", nil)
	req.Header.Set("HX-Request", "true")
	res, body = b.Do(req)
	if res.StatusCode != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, views.AuditResultsID) || len(auditRowIDs(t, body)) != 1 {
		t.Fatalf("htmx filter: %d rows %d", res.StatusCode, len(auditRowIDs(t, body)))
	}
	if !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "HX-Request") {
		t.Error("no Vary: HX-Request")
	}
	res, _ = b.Get("/admin/audit-logs?since=yesterday")
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad date: %d", res.StatusCode)
	}
	res, _ = b.Get("/admin/audit-logs?org=nope")
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown org: %d", res.StatusCode)
	}

	m := apptest.NewBrowser(t, ts)
	m.Login("m@acme.test")
	if res, _ := m.Get("/admin/audit-logs"); res.StatusCode != http.StatusForbidden {
		t.Errorf("member on audit log: %d", res.StatusCode)
	}
}
