package api_test

import (
	"testing"
	"time"
)

func TestActivationRoutes(t *testing.T) {
	f := newFixture(t)
	f.product(t, "alpha")
	f.mustCall(t, &f.opKey, 200, "PATCH", "/v1/products/alpha", `{"machines_per_seat":1,"lease_ttl_seconds":120}`)
	sub := f.subscription(t, "alpha", 5, "")
	member := f.member.User.ID
	out := f.mustCall(t, &f.acmeKey, 200, "POST", "/api/v1/licenses/activate", `{"product":"alpha","user_id":"`+member+`","fingerprint":"m1","name":"Laptop"}`)
	act, _ := out["activation"].(map[string]any)
	if out["valid"] != true || act == nil || act["name"] != "Laptop" || act["subscription_id"] != sub || act["live"] != true {
		t.Fatalf("activate: %v", out)
	}
	id := act["id"].(string)
	out = f.mustCall(t, &f.acmeKey, 200, "POST", "/v1/licenses/activate", `{"product":"alpha","user_id":"`+member+`","fingerprint":"m2"}`)
	if out["code"] != "TOO_MANY_MACHINES" || out["activation"] != nil {
		t.Fatalf("second machine: %v", out)
	}
	f.env.Clock.Advance(time.Minute)
	out = f.mustCall(t, &f.acmeKey, 200, "POST", "/v1/licenses/heartbeat", `{"activation_id":"`+id+`"}`)
	if out["valid"] != true || out["activation"].(map[string]any)["lease_expires_at"] != f.env.Clock.Now().Add(2*time.Minute).Format(time.RFC3339) {
		t.Fatalf("heartbeat: %v", out)
	}
	list := f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/licenses/activations?subscription_id="+sub, "")
	if items := list["activations"].([]any); len(items) != 1 {
		t.Fatalf("list: %v", list)
	}
	before := f.auditCount(t)
	f.mustCall(t, &f.acmeKey, 204, "DELETE", "/v1/licenses/activations/"+id, "")
	if f.auditCount(t) != before+1 {
		t.Fatal("deactivation not audited")
	}
	f.mustCall(t, &f.acmeKey, 404, "DELETE", "/v1/licenses/activations/"+id, "")
	out = f.mustCall(t, &f.acmeKey, 200, "POST", "/v1/licenses/heartbeat", `{"activation_id":"`+id+`"}`)
	if out["code"] != "LEASE_EXPIRED" {
		t.Fatalf("heartbeat after release: %v", out)
	}
	rec, out := f.call(t, &f.acmeKey, "POST", "/v1/licenses/activate", `{"product":"alpha","user_id":"`+member+`"}`)
	if rec.Code != 422 || fieldsOf(out)["fingerprint"] == nil {
		t.Fatalf("no fingerprint: %d %v", rec.Code, out)
	}
}
