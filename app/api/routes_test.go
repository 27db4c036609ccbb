package api_test

import (
	"testing"
)

// TestEveryRouteAnswers walks the routes not covered elsewhere with a valid
// request: seats, licenses (GET and POST), users, organizations, API keys
// and the audit log.
func TestEveryRouteAnswers(t *testing.T) {
	f := newFixture(t)
	f.product(t, "alpha")
	sub := f.subscription(t, "alpha", 2, "")
	member := f.member.User.ID

	// Seats: the org's admin key manages them; a list shows the holder.
	f.mustCall(t, &f.acmeKey, 201, "POST", "/v1/subscriptions/"+sub+"/seats", `{"user_id":"`+member+`"}`)
	seats := f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/subscriptions/"+sub+"/seats", "")
	if s := seats["seats"].([]any); len(s) != 1 || s[0].(map[string]any)["user_id"] != member {
		t.Fatalf("seats = %v", seats)
	}
	f.mustCall(t, &f.acmeKey, 204, "DELETE", "/v1/subscriptions/"+sub+"/seats?user_id="+member, "")
	f.mustCall(t, &f.acmeKey, 404, "DELETE", "/v1/subscriptions/"+sub+"/seats", `{"user_id":"`+member+`"}`)

	// License: first use assigns a seat automatically; POST takes a body.
	lic := f.mustCall(t, &f.acmeKey, 200, "GET", "/api/v1/licenses/check?product=alpha&user_id="+member, "")
	if lic["valid"] != true || lic["code"] != "VALID" || lic["subscription"].(map[string]any)["seats_used"] != 1.0 {
		t.Fatalf("license = %v", lic)
	}
	lic = f.mustCall(t, &f.opKey, 200, "POST", "/api/v1/licenses/check", `{"product":"alpha","user_id":"`+f.admin.User.ID+`"}`)
	if lic["code"] != "VALID" {
		t.Fatalf("operator key license = %v", lic)
	}
	lic = f.mustCall(t, &f.acmeKey, 200, "GET", "/api/v1/licenses/check?product=nope&user_id="+member, "")
	if lic["valid"] != false || lic["code"] != "PRODUCT_NOT_FOUND" {
		t.Fatalf("unknown product = %v", lic)
	}
	f.mustCall(t, &f.acmeKey, 404, "GET", "/api/v1/licenses/check?product=alpha&user_id="+f.op.User.ID, "")

	// /users/me is for access tokens; an API key has no "me".
	f.mustCall(t, &f.acmeKey, 403, "GET", "/v1/users/me", "")

	// Users: an org admin key sees its members; operator all.
	if users := f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/users", ""); len(users["users"].([]any)) != 2 {
		t.Fatalf("acme users = %v", users)
	}
	u := f.mustCall(t, &f.opKey, 201, "POST", "/v1/users", `{"email":"new@acme.test","name":"New","organization_id":"acme","role":"member","password":"correct-horse-battery"}`)
	f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/users/"+u["id"].(string), "")
	up := f.mustCall(t, &f.acmeKey, 200, "PATCH", "/v1/users/"+u["id"].(string), `{"name":"Renamed","disabled":true}`)
	if up["name"] != "Renamed" || up["disabled"] != true {
		t.Fatalf("patched user = %v", up)
	}
	f.mustCall(t, &f.acmeKey, 404, "GET", "/v1/users/"+f.op.User.ID, "")

	// Organizations.
	f.mustCall(t, &f.opKey, 201, "POST", "/v1/organizations", `{"name":"Globex Inc"}`)
	if orgs := f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/organizations", ""); len(orgs["organizations"].([]any)) != 1 {
		t.Fatalf("acme sees orgs %v", orgs)
	}
	f.mustCall(t, &f.opKey, 200, "GET", "/v1/organizations/globex-inc", "")
	f.mustCall(t, &f.acmeKey, 404, "GET", "/v1/organizations/globex-inc", "")
	f.mustCall(t, &f.acmeKey, 403, "POST", "/v1/organizations", `{"name":"Nope"}`)

	// API keys: an org admin key manages its own organization's keys.
	k := f.mustCall(t, &f.acmeKey, 201, "POST", "/v1/api-keys", `{"organization_id":"acme","name":"ci","environment":"test"}`)
	if k["key"] != k["id"] || k["secret"] == "" {
		t.Fatalf("new key = %v", k)
	}
	if keys := f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/api-keys", ""); len(keys["api_keys"].([]any)) != 2 {
		t.Fatalf("acme keys = %v", keys)
	}
	f.mustCall(t, &f.acmeKey, 200, "DELETE", "/v1/api-keys/"+k["id"].(string), "")
	f.mustCall(t, &f.acmeKey, 404, "DELETE", "/v1/api-keys/"+f.opKey.ID, "")

	// Audit log: every write above left an entry, whichever key made it.
	audit := f.mustCall(t, &f.opKey, 200, "GET", "/v1/audit-logs?action=seat.&limit=10", "")
	entries := audit["audit_logs"].([]any)
	if len(entries) != 4 { // assigned, unassigned, two automatic
		t.Fatalf("seat entries = %d: %v", len(entries), entries)
	}
	if e := entries[0].(map[string]any); e["actor_type"] != "api_key" {
		t.Errorf("entry actor = %v", e)
	}
}
