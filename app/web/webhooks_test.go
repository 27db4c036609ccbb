package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
)

func TestAdminWebhooks(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	acme := env.Customer(t, "acme", "ada@acme.test", app.RoleAdmin)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")
	form := url.Values{"organization_id": {acme.Org.ID}, "url": {"http://127.0.0.1:9/x"}, "events": {"seat.assigned"}}
	res, body := b.PostForm("/admin/webhooks", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "private, loopback or link-local") {
		t.Fatalf("loopback URL: %d", res.StatusCode)
	}
	form.Set("url", "https://hooks.example.com/in")
	form["events"] = []string{"seat.assigned", "license.activated"}
	res, body = b.PostForm("/admin/webhooks", form)
	secret := apptest.Find(t, body, apptest.ByID("webhook-secret"))
	if res.StatusCode != http.StatusOK || secret == nil || !strings.HasPrefix(apptest.Attr(secret, "value"), "whsec_") {
		t.Fatalf("create: %d\n%s", res.StatusCode, body)
	}
	page, err := env.Svc.ListWebhookEndpoints(t.Context(), app.CLI(), "", "", 10)
	if err != nil || len(page.Endpoints) != 1 {
		t.Fatalf("endpoints %v %v", page, err)
	}
	id := page.Endpoints[0].ID
	if _, body := b.Get("/admin/webhooks"); apptest.Find(t, body, apptest.ByID("webhook-"+id)) == nil {
		t.Fatal("list lacks the endpoint")
	}
	if res, _ := b.PostForm("/admin/webhooks/"+id+"/test", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Send test event: %d", res.StatusCode)
	}
	deliveries, _ := env.Svc.ListWebhookDeliveries(t.Context(), app.CLI(), id, "", 10)
	if len(deliveries.Deliveries) != 1 {
		t.Fatalf("deliveries %+v", deliveries)
	}
	d := deliveries.Deliveries[0].ID
	_, body = b.Get("/admin/webhooks/" + id)
	if apptest.Find(t, body, apptest.ByID("delivery-"+d)) == nil || !strings.Contains(body, "Send test event") || !strings.Contains(body, "Replay") {
		t.Fatalf("detail page:\n%s", body)
	}
	if res, _ := b.PostForm("/admin/webhooks/"+id+"/deliveries/"+d+"/replay", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Replay: %d", res.StatusCode)
	}
	if res, _ := b.PostForm("/admin/webhooks/"+id+"/disable", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if _, body := b.Get("/admin/webhooks/" + id); !strings.Contains(body, "This endpoint is disabled.") || strings.Count(body, `id="delivery-`) != 2 {
		t.Fatalf("after disable:\n%s", body)
	}
	// The organization's admin is told in the client portal; a member has no such page.
	ada := apptest.NewBrowser(t, ts)
	ada.Login("ada@acme.test")
	if _, body := ada.Get("/portal/webhooks"); apptest.Find(t, body, apptest.ByID("webhook-disabled-"+id)) == nil || !strings.Contains(body, "Disabled by") {
		t.Fatalf("portal webhooks:\n%s", body)
	}
	env.Customer(t, "acme", "mo@acme.test", app.RoleMember)
	mo := apptest.NewBrowser(t, ts)
	mo.Login("mo@acme.test")
	if res, _ := mo.Get("/portal/webhooks"); res.StatusCode == http.StatusOK {
		t.Fatal("a member sees the webhooks page")
	}
}
