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

// seedCatalog adds product alpha and customer organizations acme and globex.
func seedCatalog(t *testing.T, env *apptest.Env) {
	t.Helper()
	if _, err := env.Svc.CreateProduct(t.Context(), app.CLI(), app.ProductInput{Name: "Alpha", Slug: "alpha", Features: []string{"F1"}}); err != nil {
		t.Fatal(err)
	}
}

func TestSubscriptionPages(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	seedCatalog(t, env)
	mia := env.Customer(t, "acme", "mia@acme.test", app.RoleMember)
	env.Customer(t, "globex", "gus@globex.test", app.RoleMember)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")

	res, body := b.Get("/admin/subscriptions")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Create a subscription") {
		t.Fatalf("empty list: %d", res.StatusCode)
	}
	res, body = b.Get("/admin/subscriptions/new?org=" + mia.Org.ID)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `value="`+mia.Org.ID+`" selected`) {
		t.Fatalf("new form: %d", res.StatusCode)
	}

	// Field errors inline: three decimals, zero seats.
	form := url.Values{"organization_id": {mia.Org.ID}, "product_id": {"alpha"}, "total_seats": {"0"}, "price_per_seat": {"29.999"},
		"currency": {"USD"}, "billing_cycle": {"monthly"}, "status": {"active"}}
	res, body = htmx(b, http.MethodPost, "/admin/subscriptions", form)
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, "<html") || !strings.Contains(body, views.SubscriptionFormID) ||
		!strings.Contains(body, "total_seats-error") || !strings.Contains(body, "price_per_seat-error") {
		t.Fatalf("invalid via htmx: %d\n%s", res.StatusCode, body)
	}
	res, body = b.PostForm("/admin/subscriptions", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "<html") || !strings.Contains(body, "price_per_seat-error") {
		t.Fatalf("invalid plain: %d", res.StatusCode)
	}

	form.Set("total_seats", "3")
	form.Set("price_per_seat", "29.99")
	res, _ = b.PostForm("/admin/subscriptions", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/subscriptions/sub_") {
		t.Fatalf("create: %d → %s", res.StatusCode, loc)
	}
	id := strings.TrimPrefix(loc, "/admin/subscriptions/")
	res, _ = b.PostForm("/admin/subscriptions", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("second live subscription: %d", res.StatusCode)
	}

	res, body = b.Get(loc)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "0 / 3") || !strings.Contains(body, `value="`+mia.User.ID+`"`) {
		t.Fatalf("detail: %d", res.StatusCode)
	}

	// Assign a seat with htmx: the seats region and the flash come back.
	res, body = htmx(b, http.MethodPost, loc+"/seats", url.Values{"user_id": {mia.User.ID}})
	if res.StatusCode != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, `id="`+views.SeatsID+`"`) ||
		!strings.Contains(body, "1 / 3") || !strings.Contains(body, "hx-swap-oob") {
		t.Fatalf("assign via htmx: %d\n%s", res.StatusCode, body)
	}
	// A member of another organization is refused beside the select.
	gus, _ := env.Svc.ListUsers(t.Context(), app.CLI(), app.UserQuery{Organization: "globex"})
	res, body = b.PostForm(loc+"/seats", url.Values{"user_id": {gus.Users[0].ID}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "not a member of the subscription") {
		t.Fatalf("foreign member: %d\n%s", res.StatusCode, body)
	}

	// Lowering seats below those in use, and an illegal transition: the
	// domain's messages, inline.
	edit := url.Values{"total_seats": {"0"}, "price_per_seat": {"29.99"}, "currency": {"USD"}, "billing_cycle": {"monthly"}, "status": {"active"}}
	edit.Set("total_seats", "0")
	res, body = htmx(b, http.MethodPost, loc, edit)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "total_seats-error") {
		t.Fatalf("zero seats: %d", res.StatusCode)
	}
	if _, err := env.Svc.UpdateSubscription(t.Context(), app.CLI(), id, app.SubscriptionPatch{TotalSeats: ptr(2)}); err != nil {
		t.Fatal(err)
	}
	env.Customer(t, "acme", "max@acme.test", app.RoleMember)
	max, _ := env.Svc.ListUsers(t.Context(), app.CLI(), app.UserQuery{Organization: "acme"})
	for _, u := range max.Users {
		if u.Email == "max@acme.test" {
			if _, err := env.Svc.AssignSeat(t.Context(), app.CLI(), id, u.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	edit.Set("total_seats", "1")
	res, body = b.PostForm(loc, edit)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "2 seats are in use") {
		t.Fatalf("below seats in use: %d", res.StatusCode)
	}
	edit.Set("total_seats", "2")
	edit.Set("status", "trial")
	res, body = htmx(b, http.MethodPost, loc, edit)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "cannot go from active to trial") || !strings.Contains(body, "status-error") {
		t.Fatalf("illegal transition: %d\n%s", res.StatusCode, body)
	}
	edit.Set("status", "active")
	edit.Set("price_per_seat", "19.50")
	edit.Set("end_date", "2026-12-31")
	res, _ = htmx(b, http.MethodPost, loc, edit)
	if res.StatusCode != http.StatusOK || res.Header.Get("HX-Location") != loc {
		t.Fatalf("update: %d", res.StatusCode)
	}

	// The list filters by organization, product and status.
	res, body = b.Get("/admin/subscriptions?org=" + mia.Org.ID + "&product=alpha&status=active")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "sub-"+id) || !strings.Contains(body, "19.50 USD") || !strings.Contains(body, "2026-12-31") {
		t.Fatalf("filtered list: %d", res.StatusCode)
	}
	res, body = htmxRegion(b, "/admin/subscriptions?status=cancelled", views.SubscriptionResultsID)
	if res.StatusCode != http.StatusOK || strings.Contains(body, "<html") || strings.Contains(body, "sub-"+id) || !strings.Contains(body, "No subscriptions match") {
		t.Fatalf("status filter via htmx: %d", res.StatusCode)
	}
	if res, _ := b.Get("/admin/subscriptions?status=bogus"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad status filter: %d", res.StatusCode)
	}

	// Unassign, then cancel.
	res, body = htmx(b, http.MethodPost, loc+"/seats/"+mia.User.ID+"/unassign", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "1 / 2") {
		t.Fatalf("unassign: %d\n%s", res.StatusCode, body)
	}
	// The danger button leads to a confirmation naming the subscription: a
	// page without JavaScript, a dialog for htmx; neither changes anything.
	_, body = b.Get(loc)
	if !strings.Contains(body, `href="`+loc+`/cancel"`) || !strings.Contains(body, "Danger zone") {
		t.Fatal("no danger zone with a Cancel subscription link")
	}
	res, body = b.Get(loc + "/cancel")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Cancel Alpha for ") || !strings.Contains(body, `<form method="post" action="`+loc+`/cancel"`) ||
		!strings.Contains(body, "Keep it") || !strings.Contains(body, "Admin sections") || strings.Contains(body, "<dialog") {
		t.Fatalf("confirmation page: %d\n%s", res.StatusCode, body)
	}
	res, body = htmx(b, http.MethodGet, loc+"/cancel", nil)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(body), "<dialog open") || !strings.Contains(body, `<form method="dialog">`) {
		t.Fatalf("confirmation dialog: %d\n%s", res.StatusCode, body)
	}
	if s, _ := env.Svc.SubscriptionByID(t.Context(), app.CLI(), id); s.Status == app.StatusCancelled {
		t.Fatal("asking to confirm cancelled the subscription")
	}
	res, _ = b.PostForm(loc+"/cancel", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.StatusCode)
	}
	if s, _ := env.Svc.SubscriptionByID(t.Context(), app.CLI(), id); s.Status != app.StatusCancelled {
		t.Fatalf("status after cancel: %s", s.Status)
	}
	_, body = b.Get(loc)
	if !strings.Contains(body, "was cancelled") || strings.Contains(body, "Assign seat") {
		t.Fatal("cancelled subscription still offers seats, or no flash")
	}
	if res, _ := b.Get("/admin/subscriptions/sub_nope"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown subscription: %d", res.StatusCode)
	}
}

func ptr[T any](v T) *T { return &v }
