package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
	"optare/app/cli"
)

// fixture is a migrated database with an operator, a customer organization
// "acme" with an admin and a member, an API key for each organization, and
// the whole server handler.
type fixture struct {
	env     *apptest.Env
	h       http.Handler
	svc     *app.Service
	op      app.Account
	admin   app.Account
	member  app.Account
	opKey   app.NewAPIKey
	acmeKey app.NewAPIKey
	ctx     context.Context
}

func newFixture(t *testing.T) *fixture {
	return newFixtureWith(t, app.Limits{})
}

// newFixtureWith builds the service with the given rate limits (zero:
// defaults) on the test's database and clock.
func newFixtureWith(t testing.TB, limits app.Limits) *fixture {
	t.Helper()
	env := apptest.New(t)
	f := &fixture{env: env, ctx: context.Background()}
	f.op = env.Operator(t)
	f.admin = env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)
	f.member = env.Customer(t, "acme", "member@acme.test", app.RoleMember)
	svc, err := app.New(env.DB, app.Options{Now: env.Clock.Now, Password: apptest.FastPassword, Limits: limits,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	f.opKey = f.newKey(t, f.op.Org.ID)
	f.acmeKey = f.newKey(t, "acme")
	f.h = cli.NewServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), "http://localhost:8080").Handler
	return f
}

func (f *fixture) newKey(t testing.TB, org string) app.NewAPIKey {
	t.Helper()
	k, err := f.svc.CreateAPIKey(f.ctx, app.CLI(), app.APIKeyInput{OrganizationID: org, Name: "key of " + org})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// call sends a request with an API key (nil key: no credentials) and
// returns the recorder and the decoded JSON body.
func (f *fixture) call(t *testing.T, key *app.NewAPIKey, method, path, body string, headers ...string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	req.RemoteAddr = "192.0.2.10:5555"
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != nil {
		req.Header.Set("Authorization", "Bearer "+key.Key)
		req.Header.Set("X-API-Secret", key.Secret)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	var out map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: answer is not a JSON object: %v\n%s", method, path, err, rec.Body.String())
		}
	}
	return rec, out
}

// mustCall is call that fails the test unless the status is want.
func (f *fixture) mustCall(t *testing.T, key *app.NewAPIKey, want int, method, path, body string) map[string]any {
	t.Helper()
	rec, out := f.call(t, key, method, path, body)
	if rec.Code != want {
		t.Fatalf("%s %s = %d, want %d\n%s", method, path, rec.Code, want, rec.Body.String())
	}
	return out
}

// auditCount counts audit entries: every write records one, so an
// unchanged count means nothing was written.
func (f *fixture) auditCount(t *testing.T) int {
	t.Helper()
	n, cursor := 0, ""
	for {
		p, err := f.svc.ListAudit(f.ctx, app.CLI(), app.AuditQuery{Cursor: cursor, Limit: app.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		n += len(p.Entries)
		if p.NextCursor == "" {
			return n
		}
		cursor = string(p.NextCursor)
	}
}

// product creates a product through the API and returns its id.
func (f *fixture) product(t *testing.T, slug string) string {
	t.Helper()
	out := f.mustCall(t, &f.opKey, 201, "POST", "/v1/products", `{"name":"P `+slug+`","slug":"`+slug+`","features":["F 1","F 2"]}`)
	return out["id"].(string)
}

// subscription subscribes acme to a product through the API.
func (f *fixture) subscription(t *testing.T, product string, seats int, extra string) string {
	t.Helper()
	body := `{"organization_id":"acme","product_id":"` + product + `","total_seats":` + itoa(seats) +
		`,"price_per_seat":29.99,"billing_cycle":"monthly","status":"active"` + extra + `}`
	out := f.mustCall(t, &f.opKey, 201, "POST", "/v1/subscriptions", body)
	return out["id"].(string)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func fieldsOf(out map[string]any) map[string]any {
	m, _ := out["fields"].(map[string]any)
	return m
}
