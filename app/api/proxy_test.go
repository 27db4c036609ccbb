package api_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"optare/app"
	"optare/app/cli"
	"optare/app/middleware"
)

// TestTrustedProxyThrottling: behind a trusted proxy the throttle for
// unknown keys counts the client the proxy names, not the proxy; without
// --trusted-proxy the header is ignored.
func TestTrustedProxyThrottling(t *testing.T) {
	for _, trust := range []bool{true, false} {
		f := newFixture(t)
		var proxies []string
		if trust {
			proxies = []string{"192.0.2.0/24"}
		}
		ranges, err := middleware.ParseProxies(proxies)
		if err != nil {
			t.Fatal(err)
		}
		h := cli.NewServerWith(f.svc, slog.New(slog.NewTextHandler(io.Discard, nil)), cli.ServerConfig{Issuer: "http://localhost:8080", TrustedProxies: ranges}).Handler
		send := func(client string, key app.NewAPIKey) int {
			req := httptest.NewRequest("GET", "/v1/products", nil)
			req.RemoteAddr = "192.0.2.10:5555" // the proxy
			req.Header.Set("X-Forwarded-For", client)
			req.Header.Set("Authorization", "Bearer "+key.Key)
			req.Header.Set("X-API-Secret", key.Secret)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Code
		}
		bad := app.NewAPIKey{Key: "key_unknown", Secret: "sk_x"}
		for range app.DefaultLimits.AuthFailuresPerIP.Limit {
			send("203.0.113.5", bad)
		}
		if code := send("203.0.113.5", bad); code != 429 {
			t.Fatalf("trust=%v: the guessing client: %d", trust, code)
		}
		want := 401 // another client behind the proxy is not throttled
		if !trust {
			want = 429 // everyone behind the proxy is one address
		}
		if code := send("203.0.113.6", bad); code != want {
			t.Fatalf("trust=%v: another client: %d, want %d", trust, code, want)
		}
		if code := send("203.0.113.6", f.acmeKey); code != 200 {
			t.Fatalf("trust=%v: a good key: %d", trust, code)
		}
	}
}
