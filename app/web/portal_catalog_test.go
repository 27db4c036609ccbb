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

func subscribe(t *testing.T, env *apptest.Env, org string, seats int) app.Subscription {
	t.Helper()
	s, err := env.Svc.CreateSubscription(t.Context(), app.CLI(), app.SubscriptionInput{OrganizationID: org, ProductID: "alpha",
		TotalSeats: seats, PricePerSeat: "29.99", BillingCycle: "monthly", Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPortalSubscriptionsAndSeats(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	seedCatalog(t, env)
	admin := env.Customer(t, "acme", "ada@acme.test", app.RoleAdmin)
	member := env.Customer(t, "acme", "mia@acme.test", app.RoleMember)
	env.Customer(t, "globex", "gia@globex.test", app.RoleAdmin)
	ts := env.Server(t)

	b := apptest.NewBrowser(t, ts)
	b.Login("ada@acme.test")
	res, body := b.Get("/portal/subscriptions")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "no subscriptions yet") {
		t.Fatalf("empty: %d", res.StatusCode)
	}
	res, body = b.Get("/portal/products")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "You have no products yet") {
		t.Fatalf("no products: %d", res.StatusCode)
	}

	acme := subscribe(t, env, "acme", 2)
	globex := subscribe(t, env, "globex", 5)
	res, body = b.Get("/portal/subscriptions")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "sub-"+acme.ID) || strings.Contains(body, globex.ID) ||
		!strings.Contains(body, `href="/portal/subscriptions/`+acme.ID+`"`) || !strings.Contains(body, "0 / 2") {
		t.Fatalf("list: %d\n%s", res.StatusCode, body)
	}
	base := "/portal/subscriptions/" + acme.ID
	res, body = b.Get(base)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `value="`+member.User.ID+`"`) {
		t.Fatalf("seats page: %d", res.StatusCode)
	}
	res, body = htmx(b, http.MethodPost, base+"/seats", url.Values{"user_id": {member.User.ID}})
	if res.StatusCode != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, `id="`+views.SeatsUsedID+`">1 / 2`) {
		t.Fatalf("assign via htmx: %d\n%s", res.StatusCode, body)
	}
	res, _ = b.PostForm(base+"/seats", url.Values{"user_id": {admin.User.ID}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base {
		t.Fatalf("assign plain: %d", res.StatusCode)
	}
	// The seats are full: the refusal is shown in place.
	env.Customer(t, "acme", "max@acme.test", app.RoleMember)
	users, _ := env.Svc.ListUsers(t.Context(), app.CLI(), app.UserQuery{Organization: "acme"})
	var maxID string
	for _, u := range users.Users {
		if u.Email == "max@acme.test" {
			maxID = u.ID
		}
	}
	res, body = htmx(b, http.MethodPost, base+"/seats", url.Values{"user_id": {maxID}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "All 2 seats are taken") {
		t.Fatalf("no free seat: %d\n%s", res.StatusCode, body)
	}

	// A member sees the list read-only and cannot reach the seats.
	m := apptest.NewBrowser(t, ts)
	m.Login("mia@acme.test")
	res, body = m.Get("/portal/subscriptions")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "sub-"+acme.ID) || strings.Contains(body, `href="`+base+`"`) {
		t.Fatalf("member list: %d", res.StatusCode)
	}
	if res, _ := m.Get(base); res.StatusCode != http.StatusForbidden {
		t.Fatalf("member seats page: %d, want 403", res.StatusCode)
	}
	if res, _ := m.PostForm(base+"/seats/"+member.User.ID+"/unassign", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("member unassign: %d, want 403", res.StatusCode)
	}
	res, body = m.Get("/portal/products")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "product-alpha") || !strings.Contains(body, "Seat since 2026-01-15") {
		t.Fatalf("member products: %d\n%s", res.StatusCode, body)
	}

	// An admin of globex can neither see nor change acme's seats.
	g := apptest.NewBrowser(t, ts)
	g.Login("gia@globex.test")
	if res, _ := g.Get(base); res.StatusCode != http.StatusNotFound {
		t.Fatalf("other org's seats page: %d, want 404", res.StatusCode)
	}
	if res, _ := g.PostForm(base+"/seats/"+member.User.ID+"/unassign", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("other org's unassign: %d, want 404", res.StatusCode)
	}
	if res, _ := g.PostForm(base+"/seats", url.Values{"user_id": {maxID}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("other org's assign: %d, want 404", res.StatusCode)
	}
	if res, body := g.Get("/portal/subscriptions"); res.StatusCode != http.StatusOK || strings.Contains(body, acme.ID) {
		t.Fatalf("other org's list shows acme: %d", res.StatusCode)
	}
	if s, _ := env.Svc.SubscriptionByID(t.Context(), app.CLI(), acme.ID); s.SeatsUsed != 2 {
		t.Fatalf("seats used after the refused changes: %d", s.SeatsUsed)
	}

	// Unassign in the portal.
	res, body = htmx(b, http.MethodPost, base+"/seats/"+member.User.ID+"/unassign", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "1 / 2") {
		t.Fatalf("unassign: %d", res.StatusCode)
	}
}
