package api_test

import (
	"strings"
	"testing"
)

func TestWebhookRoutes(t *testing.T) {
	f := newFixture(t)
	out := f.mustCall(t, &f.acmeKey, 201, "POST", "/v1/webhooks", `{"organization_id":"acme","url":"https://hooks.example.com/in","events":["seat.assigned","subscription.created"],"description":"CRM"}`)
	id, _ := out["id"].(string)
	if secret, _ := out["secret"].(string); !strings.HasPrefix(secret, "whsec_") || id == "" || out["enabled"] != true {
		t.Fatalf("create: %v", out)
	}
	rec, out := f.call(t, &f.acmeKey, "POST", "/v1/webhooks", `{"organization_id":"acme","url":"http://169.254.169.254/latest","events":["seat.assigned"]}`)
	if rec.Code != 422 || fieldsOf(out)["url"] == nil {
		t.Fatalf("metadata address: %d %v", rec.Code, out)
	}
	rec, out = f.call(t, &f.acmeKey, "POST", "/v1/webhooks", `{"organization_id":"acme","url":"https://x.example.com","events":["nope"],"all_organizations":true}`)
	if rec.Code != 422 || fieldsOf(out)["events"] == nil || fieldsOf(out)["all_organizations"] == nil {
		t.Fatalf("bad events, all orgs for a customer: %d %v", rec.Code, out)
	}
	got := f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/webhooks/"+id, "")
	if got["secret"] != nil || got["url"] != "https://hooks.example.com/in" {
		t.Fatalf("get shows %v", got)
	}
	if list := f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/webhooks", ""); len(list["webhooks"].([]any)) != 1 {
		t.Fatalf("list %v", list)
	}
	if p := f.mustCall(t, &f.acmeKey, 200, "PATCH", "/v1/webhooks/"+id, `{"enabled":false}`); p["enabled"] != false || p["disabled_reason"] == "" {
		t.Fatalf("disable %v", p)
	}
	f.mustCall(t, &f.acmeKey, 409, "POST", "/v1/webhooks/"+id+"/test", "")
	f.mustCall(t, &f.acmeKey, 200, "PATCH", "/v1/webhooks/"+id, `{"enabled":true}`)
	d := f.mustCall(t, &f.acmeKey, 201, "POST", "/v1/webhooks/"+id+"/test", "")
	if d["event_type"] != "webhook.test" || d["status"] != "pending" {
		t.Fatalf("test event %v", d)
	}
	f.mustCall(t, &f.acmeKey, 201, "POST", "/v1/webhooks/"+id+"/deliveries/"+d["id"].(string)+"/replay", "")
	if p := f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/webhooks/"+id+"/deliveries", ""); len(p["deliveries"].([]any)) != 2 {
		t.Fatalf("deliveries %v", p)
	}
	if r := f.mustCall(t, &f.acmeKey, 200, "POST", "/v1/webhooks/"+id+"/rotate-secret", ""); !strings.HasPrefix(r["secret"].(string), "whsec_") {
		t.Fatalf("rotate %v", r)
	}
	f.mustCall(t, &f.opKey, 204, "DELETE", "/v1/webhooks/"+id, "")
	f.mustCall(t, &f.acmeKey, 404, "GET", "/v1/webhooks/"+id, "")
}
