package oauth_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"optare/app"
	"optare/app/apptest"
	"optare/app/cli"
	"optare/app/oidc"
)

// BenchmarkTokenRefreshES256 is the refresh grant with ES256 access
// tokens, measured against "ES256 sign + one SQLite write"
// (app/loadgen's BenchmarkBaselineSignWrite).
func BenchmarkTokenRefreshES256(b *testing.B) {
	f := newFixture(b, app.ClientInput{})
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := app.New(f.env.DB, app.Options{Now: f.env.Clock.Now, Logger: quiet, SigningAlg: oidc.AlgES256, Issuer: f.ts.URL})
	if err != nil {
		b.Fatal(err)
	}
	benchmarkRefresh(b, f, cli.NewServer(svc, quiet, f.ts.URL).Handler)
}

// benchmarkRefresh rotates refresh tokens through h, one chain per
// goroutine.
func benchmarkRefresh(b *testing.B, f *fixture, h http.Handler) {
	var mu sync.Mutex // the fixture's browser flow is not concurrent
	b.ReportAllocs()
	defer apptest.CPUPerOp(b)()
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		refresh := f.tokens().RefreshToken
		mu.Unlock()
		for pb.Next() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, tokenRequest(f, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}))
			var res struct {
				RefreshToken string `json:"refresh_token"`
			}
			if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &res) != nil {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
			refresh = res.RefreshToken
		}
	})
}
