package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"optare/app"
	"optare/app/api"
)

func TestAuthentication(t *testing.T) {
	f := newFixture(t)
	wrong := f.acmeKey
	wrong.Secret = "sk_wrong"
	revoked := f.newKey(t, "acme")
	if _, err := f.svc.RevokeAPIKey(f.ctx, app.CLI(), revoked.ID); err != nil {
		t.Fatal(err)
	}
	expiring, err := f.svc.CreateAPIKey(f.ctx, app.CLI(), app.APIKeyInput{OrganizationID: "acme", Name: "short", ExpiresAt: "2026-01-16"})
	if err != nil {
		t.Fatal(err)
	}
	f.env.Clock.Advance(48 * time.Hour)
	tests := []struct {
		name    string
		key     *app.NewAPIKey
		headers []string
	}{
		{"no credentials", nil, nil},
		{"wrong secret", &wrong, nil},
		{"revoked key", &revoked, nil},
		{"expired key", &expiring, nil},
		{"unknown key", nil, []string{"Authorization", "Bearer key_doesnotexist", "X-API-Secret", "sk_x"}},
		{"access token (not verified in this branch)", nil, []string{"Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig"}},
		{"basic auth", nil, []string{"Authorization", "Basic dXNlcjpwYXNz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, out := f.call(t, tt.key, "GET", "/api/v1/products", "", tt.headers...)
			if rec.Code != 401 || out["error"] != "invalid_token" {
				t.Fatalf("= %d %v", rec.Code, out)
			}
			if h := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(h, `Bearer error="invalid_token"`) {
				t.Errorf("WWW-Authenticate = %q", h)
			}
		})
	}
	page, err := f.svc.ListAudit(f.ctx, app.CLI(), app.AuditQuery{Action: "auth.api_key"})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]bool{}
	for _, e := range page.Entries {
		if e.Outcome != app.OutcomeFailure || e.IP != "192.0.2.10" {
			t.Errorf("entry %+v", e)
		}
		reasons[e.Details["reason"].(string)] = true
	}
	for _, r := range []string{"wrong_secret", "revoked", "expired", "unknown_key"} {
		if !reasons[r] {
			t.Errorf("no audit entry for %s (have %v)", r, reasons)
		}
	}
}

// TestAuthFailuresThrottledPerKey: failures are throttled per key id (or
// per address for unknown key ids), never for a correct key and secret.
func TestAuthFailuresThrottledPerKey(t *testing.T) {
	f := newFixture(t)
	limit := app.DefaultLimits.AuthFailuresPerIP.Limit
	wrong := f.acmeKey
	wrong.Secret = "sk_wrong"
	unknown := app.NewAPIKey{Key: "key_doesnotexist", Secret: "sk_x"}
	for i := 0; i < limit; i++ {
		if rec, _ := f.call(t, &wrong, "GET", "/v1/products", ""); rec.Code != 401 {
			t.Fatalf("attempt %d: %d", i, rec.Code)
		}
		if rec, _ := f.call(t, &unknown, "GET", "/v1/products", ""); rec.Code != 401 {
			t.Fatalf("unknown attempt %d: %d", i, rec.Code)
		}
	}
	// The guessed key and unknown keys from this address are throttled...
	rec, out := f.call(t, &wrong, "GET", "/v1/products", "")
	if rec.Code != 429 || out["error"] != "too_many_attempts" || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("after 20 failures: %d %v %v", rec.Code, out, rec.Header())
	}
	if rec, _ := f.call(t, &unknown, "GET", "/v1/products", ""); rec.Code != 429 {
		t.Fatalf("unknown key after 20: %d", rec.Code)
	}
	// ...but good keys from the same address work: the key's own secret
	// and another organization's key.
	f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/products", "")
	f.mustCall(t, &f.opKey, 200, "GET", "/v1/products", "")
	// The log holds one collapsed entry per source, key and minute.
	p, err := f.svc.ListAudit(f.ctx, app.CLI(), app.AuditQuery{Action: "auth.api_key", Limit: app.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, e := range p.Entries {
		total += e.Count
	}
	if len(p.Entries) > 4 || total != 2*limit+2 {
		t.Fatalf("%d entries counting %d attempts, want at most 4 counting %d", len(p.Entries), total, 2*limit+2)
	}
	f.env.Clock.Advance(16 * time.Minute)
	if rec, _ := f.call(t, &wrong, "GET", "/v1/products", ""); rec.Code != 401 {
		t.Fatalf("after the window: %d", rec.Code)
	}
}

// TestMissingSecretNamed: a key_ bearer without X-API-Secret says so.
func TestMissingSecretNamed(t *testing.T) {
	f := newFixture(t)
	k := f.acmeKey
	k.Secret = ""
	rec, out := f.call(t, &k, "GET", "/v1/products", "")
	if rec.Code != 401 || !strings.Contains(out["error_description"].(string), "X-API-Secret") {
		t.Fatalf("%d %v", rec.Code, out)
	}
}

func TestRateLimits(t *testing.T) {
	f := newFixture(t) // defaults: 100/minute per key
	var last http.Header
	for i := 0; i < 100; i++ {
		rec, _ := f.call(t, &f.acmeKey, "GET", "/v1/products", "")
		if rec.Code != 200 {
			t.Fatalf("request %d: %d", i+1, rec.Code)
		}
		last = rec.Header()
	}
	if last.Get("RateLimit-Limit") != "100" || last.Get("RateLimit-Remaining") != "0" || last.Get("RateLimit-Reset") != "60" {
		t.Errorf("headers after 100: %v", last)
	}
	rec, out := f.call(t, &f.acmeKey, "GET", "/v1/products", "")
	if rec.Code != 429 || out["error"] != "rate_limited" || rec.Header().Get("Retry-After") != "60" {
		t.Fatalf("101st: %d %v Retry-After %q", rec.Code, out, rec.Header().Get("Retry-After"))
	}
	f.env.Clock.Advance(30 * time.Second)
	rec, _ = f.call(t, &f.acmeKey, "GET", "/v1/products", "")
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "30" {
		t.Fatalf("after 30s: %d Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	f.env.Clock.Advance(30 * time.Second)
	rec, _ = f.call(t, &f.acmeKey, "GET", "/v1/products", "")
	if rec.Code != 200 || rec.Header().Get("RateLimit-Remaining") != "99" {
		t.Fatalf("new window: %d %v", rec.Code, rec.Header())
	}
	// Another key is counted on its own.
	f.mustCall(t, &f.opKey, 200, "GET", "/v1/products", "")
}

func TestOrganizationRateLimit(t *testing.T) {
	f := newFixtureWith(t, app.Limits{PerCredential: app.RateLimit{Limit: 5, Window: time.Minute},
		PerOrganization: app.RateLimit{Limit: 8, Window: time.Hour}, AuthFailuresPerIP: app.DefaultLimits.AuthFailuresPerIP,
		Anonymous: app.DefaultLimits.Anonymous})
	second := f.newKey(t, "acme")
	for i := 0; i < 5; i++ {
		f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/products", "")
	}
	for i := 0; i < 3; i++ {
		f.mustCall(t, &second, 200, "GET", "/v1/products", "")
	}
	rec, _ := f.call(t, &second, "GET", "/v1/products", "")
	if rec.Code != 429 || rec.Header().Get("RateLimit-Limit") != "8" {
		t.Fatalf("9th request of the organization: %d %v", rec.Code, rec.Header())
	}
	if reset, _ := strconv.Atoi(rec.Header().Get("Retry-After")); reset != 3600 {
		t.Errorf("Retry-After = %d", reset)
	}
	f.mustCall(t, &f.opKey, 200, "GET", "/v1/products", "") // another organization
}

func TestIdempotencyKey(t *testing.T) {
	f := newFixture(t)
	body := `{"name":"Once","slug":"once"}`
	rec1, first := f.call(t, &f.opKey, "POST", "/v1/products", body, "Idempotency-Key", "abc-123")
	rec2, second := f.call(t, &f.opKey, "POST", "/v1/products", body, "Idempotency-Key", "abc-123")
	if rec1.Code != 201 || rec2.Code != 201 || first["id"] != second["id"] {
		t.Fatalf("retry: %d %v / %d %v", rec1.Code, first, rec2.Code, second)
	}
	if rec2.Header().Get("Idempotent-Replayed") != "true" {
		t.Error("replay not marked")
	}
	rec, out := f.call(t, &f.opKey, "POST", "/v1/products", `{"name":"Other","slug":"other"}`, "Idempotency-Key", "abc-123")
	if rec.Code != 422 || out["error"] != "idempotency_key_reused" {
		t.Fatalf("other body: %d %v", rec.Code, out)
	}
	// A failed request is replayed too (it wrote nothing), and keys are per credential.
	rec, _ = f.call(t, &f.acmeKey, "POST", "/v1/products", body, "Idempotency-Key", "abc-123")
	if rec.Code != 403 {
		t.Fatalf("other credential: %d", rec.Code)
	}
	page, _ := f.svc.ListAudit(f.ctx, app.CLI(), app.AuditQuery{Action: "product.created"})
	if len(page.Entries) != 1 {
		t.Errorf("%d products created", len(page.Entries))
	}
	// After 24 hours the key may be used afresh.
	f.env.Clock.Advance(25 * time.Hour)
	if err := f.svc.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec, out = f.call(t, &f.opKey, "POST", "/v1/products", `{"name":"Later","slug":"later"}`, "Idempotency-Key", "abc-123")
	if rec.Code != 201 || out["slug"] != "later" {
		t.Fatalf("after expiry: %d %v", rec.Code, out)
	}
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	f := newFixture(t)
	rec, _ := f.call(t, nil, "GET", "/api/v1/openapi.json", "")
	if rec.Code != 200 {
		t.Fatalf("openapi.json: %d", rec.Code)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	routes := registeredRoutes(t, f)
	if len(routes) < 20 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt, " ")
		op := doc.Paths[path][strings.ToLower(method)]
		if op == nil || op["summary"] == "" || op["responses"] == nil {
			t.Errorf("%s is served but not documented", rt)
		}
	}
}

func registeredRoutes(t *testing.T, f *fixture) []string {
	t.Helper()
	return api.New(f.svc, nil).RegisteredRoutes()
}
