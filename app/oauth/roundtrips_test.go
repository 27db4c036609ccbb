package oauth_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
	"optare/app/cli"
)

// TestRoundTripsPerHotRequest counts the database round trips and writes
// of each hot request on this run's engine (the README's table comes from
// its log: go test -v -run RoundTrips ./app/oauth), warm (what the caches
// hold serves the request) and cold (the first request after a write
// emptied the caches). The reads must not write and make at most one round
// trip, warm or cold; the counts must not grow unnoticed.
func TestRoundTripsPerHotRequest(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	svc, actor := f.env.Svc, app.CLI()
	if _, err := svc.CreateProduct(f.ctx, actor, app.ProductInput{Name: "Hot", Slug: "hot"}); err != nil {
		t.Fatal(err)
	}
	sub, err := svc.CreateSubscription(f.ctx, actor, app.SubscriptionInput{OrganizationID: "acme", ProductID: "hot",
		TotalSeats: 10, PricePerSeat: "1", BillingCycle: app.CycleMonthly})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AssignSeat(f.ctx, actor, sub.ID, f.user.User.ID); err != nil {
		t.Fatal(err)
	}
	op, err := svc.OrganizationByRef(f.ctx, actor, "operator-inc")
	if err != nil {
		t.Fatal(err)
	}
	key, err := svc.CreateAPIKey(f.ctx, actor, app.APIKeyInput{OrganizationID: op.ID, Name: "hot", Environment: "live"})
	if err != nil {
		t.Fatal(err)
	}
	h := cli.NewServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), f.ts.URL).Handler
	tok := f.tokens()
	refresh := tok.RefreshToken
	form := func(v url.Values) *http.Request {
		v.Set("client_id", f.client.ClientID)
		v.Set("client_secret", f.client.ClientSecret)
		r := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(v.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	cases := []struct {
		name     string
		req      func() *http.Request
		maxTrips [2]float64 // warm, cold (on PostgreSQL, BEGIN and COMMIT are round trips too): today's counts, so growth is a decision
		reads    bool       // a read: no write and at most one round trip (rate-limit counts aside)
	}{
		{"token (client_credentials)", func() *http.Request {
			return form(url.Values{"grant_type": {"client_credentials"}})
		}, [2]float64{0, 1}, true},
		{"token (refresh_token)", func() *http.Request {
			r := form(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
			return r
		}, [2]float64{6, 10}, false}, // SQLite 5 and 9 (cold: user and products read in the write, the cache filled after it); the grant is extended about once a day
		{"introspection", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/oauth/introspect", strings.NewReader(url.Values{"token": {tok.AccessToken},
				"client_id": {f.client.ClientID}, "client_secret": {f.client.ClientSecret}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, [2]float64{0, 1}, true},
		{"userinfo", func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/oauth/userinfo", nil)
			r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			return r
		}, [2]float64{0, 1}, true},
		{"license check (API key)", func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/api/v1/licenses/check?product=hot&user_id="+f.user.User.ID, nil)
			r.Header.Set("Authorization", "Bearer "+key.Key)
			r.Header.Set("X-API-Secret", key.Secret)
			return r
		}, [2]float64{0, 1}, true},
		{"license check (API key, POST)", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/api/v1/licenses/check", strings.NewReader(`{"product":"hot","user_id":"`+f.user.User.ID+`"}`))
			r.Header.Set("Authorization", "Bearer "+key.Key)
			r.Header.Set("X-API-Secret", key.Secret)
			r.Header.Set("Content-Type", "application/json")
			return r
		}, [2]float64{0, 1}, true},
		{"license check (access token)", func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/api/v1/licenses/check?product=hot", nil)
			r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			return r
		}, [2]float64{0, 1}, true},
	}
	db := f.env.DB
	engine := "sqlite"
	if apptest.Postgres() {
		engine = "postgres"
	}
	cold := 0
	invalidate := func() { // a write to a cached table empties every cache
		cold++
		if _, err := svc.CreateProduct(f.ctx, actor, app.ProductInput{Name: "Cold", Slug: fmt.Sprintf("cold-%d", cold)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cases {
		for phase, name := range []string{"warm", "cold"} {
			var trips, writes int64
			const n = 5
			for i := range n + 1 {
				if phase == 1 {
					invalidate()
				}
				w := httptest.NewRecorder()
				r := c.req()
				t0, w0 := db.RoundTrips(), db.Writes()
				h.ServeHTTP(w, r)
				if w.Code != 200 {
					t.Fatalf("%s: %d %s", c.name, w.Code, w.Body)
				}
				if strings.Contains(c.name, "refresh") {
					refresh = jsonField(t, w.Body.String(), "refresh_token")
				}
				if i > 0 { // the first request warms the prepared statements
					trips += db.RoundTrips() - t0
					writes += db.Writes() - w0
				}
			}
			perTrips, perWrites := float64(trips)/n, float64(writes)/n
			// On PostgreSQL the shared rate-limit counts (credential and
			// organization) are claimed in batches: a fraction of a round
			// trip and of a write per licence check.
			shared := 0.0
			if apptest.Postgres() && strings.Contains(c.name, "license") {
				shared = 1
			}
			t.Logf("%s %-30s %s %4.1f round trips, %3.1f writes per request", engine, c.name, name, perTrips, perWrites)
			if limit := c.maxTrips[phase] + shared; perTrips > limit {
				t.Errorf("%s (%s): %.1f round trips per request, was %.0f: make it cheaper or raise the figure here and in the README", c.name, name, perTrips, limit)
			}
			if c.reads && perWrites > shared {
				t.Errorf("%s (%s) writes %.1f times per request", c.name, name, perWrites)
			}
			// The rule: a hot read path makes at most one round trip, cold
			// too (every input is known before the database is asked).
			if c.reads && perTrips > 1+shared {
				t.Errorf("%s (%s): %.1f round trips per request: a hot read makes at most one (store.HotRead)", c.name, name, perTrips)
			}
		}
	}
}

func jsonField(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, `"`+name+`":"`)
	if i < 0 {
		t.Fatalf("no %s in %s", name, body)
	}
	rest := body[i+len(name)+4:]
	return rest[:strings.IndexByte(rest, '"')]
}
