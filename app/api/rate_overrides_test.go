package api_test

import (
	"testing"
	"time"

	"optare/app"
)

// TestRateLimitOverrides: an operator raises one key's per-minute limit and
// its organization's per-hour limit; the key's own organization cannot.
func TestRateLimitOverrides(t *testing.T) {
	f := newFixtureWith(t, app.Limits{PerCredential: app.RateLimit{Limit: 5, Window: time.Minute},
		PerOrganization: app.RateLimit{Limit: 8, Window: time.Hour}, AuthFailuresPerIP: app.DefaultLimits.AuthFailuresPerIP,
		Anonymous: app.DefaultLimits.Anonymous})
	get := func() int {
		rec, _ := f.call(t, &f.acmeKey, "GET", "/v1/products", "")
		return rec.Code
	}
	f.mustCall(t, &f.acmeKey, 403, "PUT", "/v1/api-keys/"+f.acmeKey.Key+"/rate-limit", `{"limit":1000}`)
	for i := range 4 {
		if code := get(); code != 200 {
			t.Fatalf("request %d: %d", i+1, code)
		}
	}
	if code := get(); code != 429 {
		t.Fatalf("6th request at the default: %d", code)
	}
	f.mustCall(t, &f.opKey, 422, "PUT", "/v1/api-keys/"+f.acmeKey.Key+"/rate-limit", `{"limit":-1}`)
	f.mustCall(t, &f.opKey, 422, "PUT", "/v1/api-keys/"+f.acmeKey.Key+"/rate-limit", `{}`)
	out := f.mustCall(t, &f.opKey, 200, "PUT", "/v1/api-keys/"+f.acmeKey.Key+"/rate-limit", `{"limit":20}`)
	if out["limit"] != 20.0 || out["window"] != "minute" || out["default_limit"] != 5.0 {
		t.Fatalf("answer %v", out)
	}
	// The key may go on, up to its organization's 8 per hour...
	for i := range 3 {
		if code := get(); code != 200 {
			t.Fatalf("raised key, request %d: %d", i+6, code)
		}
	}
	rec, body := f.call(t, &f.acmeKey, "GET", "/v1/products", "")
	if rec.Code != 429 || rec.Header().Get("RateLimit-Limit") != "8" {
		t.Fatalf("organization cap: %d %v", rec.Code, body)
	}
	// ...which the operator raises too.
	f.mustCall(t, &f.opKey, 200, "PUT", "/v1/organizations/acme/rate-limit", `{"limit":5000}`)
	rec, _ = f.call(t, &f.acmeKey, "GET", "/v1/products", "")
	if rec.Code != 200 || rec.Header().Get("RateLimit-Limit") != "20" {
		t.Fatalf("after raising the organization: %d %v", rec.Code, rec.Header())
	}
	keys := f.mustCall(t, &f.opKey, 200, "GET", "/v1/api-keys?organization_id=acme", "")
	if k := keys["api_keys"].([]any)[0].(map[string]any); k["rate_limit_per_minute"] != 20.0 {
		t.Fatalf("key shows %v", k)
	}
	// Both changes are audited.
	for _, action := range []string{"api_key.rate_limit_changed", "organization.rate_limit_changed"} {
		p, _ := f.svc.ListAudit(f.ctx, app.CLI(), app.AuditQuery{Action: action})
		if len(p.Entries) != 1 {
			t.Errorf("%s: %d entries", action, len(p.Entries))
		}
	}
}
