package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"optare/app"
	"optare/app/api"
	"optare/app/apptest"
)

// unlimited keeps the rate limiter counting but never refusing, so the
// benchmarks measure the license check, not 429s.
var unlimited = app.Limits{PerCredential: app.RateLimit{Limit: 1 << 30, Window: time.Minute},
	PerOrganization: app.RateLimit{Limit: 1 << 30, Window: time.Hour}, AuthFailuresPerIP: app.DefaultLimits.AuthFailuresPerIP,
	Anonymous: app.DefaultLimits.Anonymous}

// benchFixture is acme with a product, a 100-seat subscription and the
// member already holding a seat: the common path of the license check.
func benchFixture(b *testing.B) *fixture {
	f := newFixtureWith(b, unlimited)
	if _, err := f.svc.CreateProduct(f.ctx, app.CLI(), app.ProductInput{Name: "Alpha", Slug: "alpha", Features: []string{"F1", "F2"}}); err != nil {
		b.Fatal(err)
	}
	sub, err := f.svc.CreateSubscription(f.ctx, app.CLI(), app.SubscriptionInput{OrganizationID: "acme", ProductID: "alpha", TotalSeats: 100, BillingCycle: "monthly"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.svc.AssignSeat(f.ctx, app.CLI(), sub.ID, f.member.User.ID); err != nil {
		b.Fatal(err)
	}
	return f
}

func serveParallel(b *testing.B, h http.Handler, newReq func() *http.Request) {
	b.ReportAllocs()
	b.ResetTimer()
	defer apptest.CPUPerOp(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, newReq())
			if rec.Code != 200 {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkLicenseCheckAPIKey: GET /api/v1/licenses/check with an API key
// through the whole server handler (middleware, authentication, rate
// limiter, handler, SQLite).
func BenchmarkLicenseCheckAPIKey(b *testing.B) {
	f := benchFixture(b)
	url := "/api/v1/licenses/check?product=alpha&user_id=" + f.member.User.ID
	serveParallel(b, f.h, func() *http.Request {
		r := httptest.NewRequest("GET", url, nil)
		r.Header.Set("Authorization", "Bearer "+f.acmeKey.Key)
		r.Header.Set("X-API-Secret", f.acmeKey.Secret)
		return r
	})
}

// BenchmarkLicenseCheckUserActor: the license check's user-token path
// (?product=slug for the token's user) through the route handler and
// SQLite, with the actor an access token would give.
func BenchmarkLicenseCheckUserActor(b *testing.B) {
	f := benchFixture(b)
	h := api.New(f.svc, slog.New(slog.NewTextHandler(io.Discard, nil))).ServeAs("GET /licenses/check", f.member.Actor("192.0.2.1"))
	serveParallel(b, h, func() *http.Request { return httptest.NewRequest("GET", "/licenses/check?product=alpha", nil) })
}

// BenchmarkBareHandler is the ceiling: a handler that writes a fixed JSON
// answer, with and without the server's middleware.
func BenchmarkBareHandler(b *testing.B) {
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"valid":true,"code":"VALID"}` + "\n"))
	})
	b.Run("bare", func(b *testing.B) {
		serveParallel(b, bare, func() *http.Request { return httptest.NewRequest("GET", "/x", nil) })
	})
	b.Run("healthz-through-middleware", func(b *testing.B) {
		f := newFixtureWith(b, unlimited)
		serveParallel(b, f.h, func() *http.Request { return httptest.NewRequest("GET", "/healthz", nil) })
	})
}

// BenchmarkLicenseToken: POST /api/v1/licenses/token with an API key: the
// license check plus one Ed25519 signature.
func BenchmarkLicenseToken(b *testing.B) {
	f := benchFixture(b)
	body := `{"product":"alpha","user_id":"` + f.member.User.ID + `","fingerprint":"machine-1"}`
	serveParallel(b, f.h, func() *http.Request {
		r := httptest.NewRequest("POST", "/api/v1/licenses/token", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+f.acmeKey.Key)
		r.Header.Set("X-API-Secret", f.acmeKey.Secret)
		return r
	})
}

// BenchmarkHeartbeat: POST /api/v1/licenses/heartbeat with an API key: one
// write transaction (read activation, product, subscription, user, seat;
// extend the lease).
func BenchmarkHeartbeat(b *testing.B) {
	f := benchFixture(b)
	l, err := f.svc.Activate(f.ctx, app.CLI(), app.ActivationInput{Product: "alpha", UserID: f.member.User.ID, Fingerprint: "m1"})
	if err != nil || l.Activation == nil {
		b.Fatal(l, err)
	}
	body := `{"activation_id":"` + l.Activation.ID + `"}`
	serveParallel(b, f.h, func() *http.Request {
		r := httptest.NewRequest("POST", "/api/v1/licenses/heartbeat", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+f.acmeKey.Key)
		r.Header.Set("X-API-Secret", f.acmeKey.Secret)
		return r
	})
}
