package oauth_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"optare/app"
	"optare/app/apptest"
)

// signedProofs signs n proofs for one request before the timer starts, as
// a client signs its own: the benchmarks measure the server's side.
func signedProofs(b *testing.B, key apptest.DPoPKey, f *fixture, method, url, token string, n int) chan string {
	out := make(chan string, n)
	for range n {
		out <- key.Proof(b, method, url, token, f.env.Clock.Now())
	}
	return out
}

// BenchmarkTokenClientCredentialsDPoP is BenchmarkTokenClientCredentials
// with an ES256 DPoP proof: the proof verified, its jti written (the
// replay cache) and the token bound (cnf.jkt).
func BenchmarkTokenClientCredentialsDPoP(b *testing.B) {
	f := newFixture(b, app.ClientInput{})
	h := benchHandler(f)
	proofs := signedProofs(b, apptest.NewDPoPKey(b, jose.ES256), f, "POST", f.ts.URL+"/oauth/token", "", b.N+64)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := tokenRequest(f, url.Values{"grant_type": {"client_credentials"}})
			r.Header.Set("DPoP", <-proofs)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
}

// BenchmarkUserinfoDPoP is BenchmarkUserinfo with a DPoP-bound token: one
// ES256 proof verified and its jti written per request.
func BenchmarkUserinfoDPoP(b *testing.B) {
	f := newFixture(b, app.ClientInput{})
	h := benchHandler(f)
	key := apptest.NewDPoPKey(b, jose.ES256)
	token := f.dpopTokens(key)["access_token"].(string)
	proofs := signedProofs(b, key, f, "GET", f.ts.URL+"/oauth/userinfo", token, b.N+64)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := httptest.NewRequest(http.MethodGet, "/oauth/userinfo", nil)
			r.Header.Set("Authorization", "DPoP "+token)
			r.Header.Set("DPoP", <-proofs)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
}
