package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"optare/app"
	"optare/app/apptest"
)

// confirmed does what a user does after a danger button: opens the
// confirmation at path and submits its form, which posts back to path as a
// plain form (no htmx, so the answer is a redirect and not a fragment).
func confirmed(t *testing.T, b *apptest.Browser, path string) (*http.Response, string) {
	t.Helper()
	_, page := b.Get(path)
	form := apptest.Find(t, page, func(n *html.Node) bool {
		return n.Data == "form" && apptest.Attr(n, "method") == "post" && apptest.Attr(n, "action") == path
	})
	if form == nil {
		t.Fatalf("%s: the confirmation has no form posting there\n%s", path, page)
	}
	for _, a := range form.Attr {
		if strings.HasPrefix(a.Key, "hx-") {
			t.Fatalf("%s: the confirmation's form posts with htmx (%s)", path, a.Key)
		}
	}
	return b.PostForm(path, nil)
}

// TestDangerConfirmations: every destructive button (Revoke, Disable,
// Archive, Rotate secret, Remove, Sign out, Deactivate) leads to the one
// shared confirmation that names the object, as a page and (for htmx) as a
// dialog; asking changes nothing, another organization's object is not
// found, and the confirmation's form does it.
func TestDangerConfirmations(t *testing.T) {
	env := apptest.New(t)
	ctx, cli := context.Background(), app.CLI()
	env.Operator(t)
	olga := env.Customer(t, "acme", "olga@acme.test", app.RoleOwner)
	mia := env.Customer(t, "acme", "mia@acme.test", app.RoleMember)
	stranger := env.Customer(t, "globex", "gus@globex.test", app.RoleOwner)
	key, err := env.Svc.CreateAPIKey(ctx, cli, app.APIKeyInput{OrganizationID: "acme", Name: "Billing sync"})
	if err != nil {
		t.Fatal(err)
	}
	const redirect = "https://app.example.com/cb"
	c, err := env.Svc.CreateClient(ctx, cli, app.ClientInput{Name: "Otomate Web", RedirectURIs: []string{redirect}, AllowedScopes: []string{"openid"}})
	if err != nil {
		t.Fatal(err)
	}
	reports, err := env.Svc.CreateClient(ctx, cli, app.ClientInput{Name: "Acme Reports", RedirectURIs: []string{redirect}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.CreateProduct(ctx, cli, app.ProductInput{Name: "Alpha Studio", Slug: "alpha", Floating: true}); err != nil {
		t.Fatal(err)
	}
	sub, err := env.Svc.CreateSubscription(ctx, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "alpha", TotalSeats: 5, BillingCycle: "monthly", Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	lease, err := env.Svc.Activate(ctx, olga.Actor(""), app.ActivationInput{Product: "alpha", Fingerprint: "o1", Name: "Olga's laptop"})
	if err != nil || !lease.Valid {
		t.Fatalf("activate: %+v %v", lease, err)
	}
	machine := lease.Activation.ID
	if _, err := env.Svc.AssignSeat(ctx, cli, sub.ID, mia.User.ID); err != nil {
		t.Fatal(err)
	}
	seated, err := env.Svc.SubscriptionByID(ctx, cli, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	hook, err := env.Svc.CreateWebhookEndpoint(ctx, cli, app.WebhookInput{OrganizationID: "acme", URL: "https://hooks.example.com/in", Events: []string{"seat.assigned"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	op := apptest.NewBrowser(t, ts)
	op.Login("owner@example.com")
	own := apptest.NewBrowser(t, ts)
	own.Login("olga@acme.test")
	consentTo(t, own, reports.ClientID, redirect)
	apptest.NewBrowser(t, ts).Login("olga@acme.test") // a second session to sign out
	sessions, err := env.Svc.ListSessions(ctx, olga.Actor(""), olga.User.ID)
	if err != nil || len(sessions) != 2 {
		t.Fatalf("sessions: %d %v", len(sessions), err)
	}
	_, accountPage := own.Get("/portal/account")
	other := sessions[0].ID
	if !strings.Contains(accountPage, "/portal/account/sessions/"+other+"/end") {
		other = sessions[1].ID
	}
	for _, tc := range []struct {
		b                            *apptest.Browser
		list, confirm, title, button string
	}{
		{op, "/admin/settings/api-keys", "/admin/settings/api-keys/" + key.ID + "/revoke", "Revoke the API key Billing sync?", "Revoke"},
		{op, "/admin/clients", "/admin/clients/" + c.ID + "/disable", "Disable Otomate Web?", "Disable"},
		{op, "/admin/clients/" + c.ID, "/admin/clients/" + c.ID + "/rotate-secret", "Rotate the secret of Otomate Web?", "Rotate secret"},
		{op, "/admin/users/" + mia.User.ID, "/admin/users/" + mia.User.ID + "/disable", "Disable " + mia.User.Name + "?", "Disable"},
		{op, "/admin/products", "/admin/products/alpha/archive", "Archive Alpha Studio?", "Archive"},
		{op, "/admin/webhooks/" + hook.ID, "/admin/webhooks/" + hook.ID + "/disable", "Disable https://hooks.example.com/in?", "Disable"},
		{op, "/admin/subscriptions/" + sub.ID, "/admin/subscriptions/" + sub.ID + "/activations/" + machine + "/deactivate", "Deactivate Olga&#39;s laptop?", "Deactivate"},
		{own, "/portal/machines", "/portal/machines/" + machine + "/deactivate", "Deactivate Olga&#39;s laptop?", "Deactivate"},
		{own, "/portal/members", "/portal/members/" + mia.User.ID + "/remove", "Remove " + mia.User.Name + " from ", "Remove"},
		{own, "/portal/oauth-clients", "/portal/oauth-clients/" + reports.ClientID + "/disconnect", "Revoke the access of Acme Reports?", "Revoke"},
		{own, "/portal/account", "/portal/account/sessions/" + other + "/end", "(127.0.0.1)?", "Sign out"},
		{own, "/portal/account", "/portal/account/sessions/end-others", "Sign out every other session (1)?", "Sign out all other sessions"},
		{op, "/admin/subscriptions/" + sub.ID, "/admin/subscriptions/" + sub.ID + "/seats/" + mia.User.ID + "/unassign", "Take the Alpha Studio seat back from " + mia.User.Name + "?", "Unassign"},
		{own, "/portal/subscriptions/" + sub.ID, "/portal/subscriptions/" + sub.ID + "/seats/" + mia.User.ID + "/unassign", "Take the Alpha Studio seat back from " + mia.User.Name + "?", "Unassign"},
	} {
		if _, body := tc.b.Get(tc.list); !strings.Contains(body, `href="`+tc.confirm+`"`) {
			t.Errorf("%s: no danger link to %s", tc.list, tc.confirm)
		}
		res, body := tc.b.Get(tc.confirm)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, tc.title) || !strings.Contains(body, `<form method="post" action="`+tc.confirm+`"><button type="submit" class="danger">`+tc.button+`</button>`) {
			t.Errorf("%s: confirmation page %d\n%s", tc.confirm, res.StatusCode, body)
		}
		res, body = htmx(tc.b, http.MethodGet, tc.confirm, nil)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(body), "<dialog open") || !strings.Contains(body, tc.title) {
			t.Errorf("%s: dialog %d\n%s", tc.confirm, res.StatusCode, body)
		}
	}
	// Another organization's owner is not told the names.
	gus := apptest.NewBrowser(t, ts)
	gus.Login(stranger.User.Email)
	for _, path := range []string{"/portal/machines/" + machine + "/deactivate", "/portal/members/" + mia.User.ID + "/remove",
		"/portal/oauth-clients/" + reports.ClientID + "/disconnect", "/portal/account/sessions/" + other + "/end",
		"/portal/subscriptions/" + sub.ID + "/seats/" + mia.User.ID + "/unassign", "/portal/account/passkeys/no-such-key/remove"} {
		if res, body := gus.Get(path); res.StatusCode != http.StatusNotFound || strings.Contains(body, "Olga") || strings.Contains(body, mia.User.Name) {
			t.Errorf("%s for a stranger: %d", path, res.StatusCode)
		}
	}
	// With no other session there is nothing to ask.
	if res, _ := gus.Get("/portal/account/sessions/end-others"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/portal/account" {
		t.Errorf("end-others with none to end: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if k, _ := env.Svc.APIKeyByID(ctx, cli, key.ID); k.RevokedAt != nil {
		t.Fatal("asking revoked the key")
	}
	if cl, _ := env.Svc.ClientByID(ctx, cli, c.ID); !cl.Enabled {
		t.Fatal("asking disabled the client")
	}
	if u, _ := env.Svc.UserByID(ctx, cli, mia.User.ID); u.Disabled {
		t.Fatal("asking disabled the user")
	}
	if s, _ := env.Svc.SubscriptionByID(ctx, cli, sub.ID); s.SeatsUsed != seated.SeatsUsed || s.SeatsUsed == 0 {
		t.Fatalf("asking unassigned a seat: %d used, was %d", s.SeatsUsed, seated.SeatsUsed)
	}
	if left, _ := env.Svc.ListSessions(ctx, olga.Actor(""), olga.User.ID); len(left) != 2 {
		t.Fatalf("asking signed sessions out: %d left", len(left))
	}
	if _, members, _ := env.Svc.ListMembers(ctx, cli, "acme"); len(members) != 2 {
		t.Fatalf("asking removed a member: %d left", len(members))
	}
	if res, _ := op.PostForm("/admin/settings/api-keys/"+key.ID+"/revoke", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if k, _ := env.Svc.APIKeyByID(ctx, cli, key.ID); k.RevokedAt == nil {
		t.Fatal("the confirmation's form did not revoke the key")
	}
	if res, _ := own.PostForm("/portal/account/sessions/"+other+"/end", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	if left, _ := env.Svc.ListSessions(ctx, olga.Actor(""), olga.User.ID); len(left) != 1 {
		t.Fatalf("sessions after signing one out: %d", len(left))
	}
}
