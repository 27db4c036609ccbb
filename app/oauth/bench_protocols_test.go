package oauth_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"optare/app"
	"optare/app/apptest"
)

// BenchmarkTokenClientCredentialsPrivateKeyJWT is BenchmarkTokenClientCredentials
// with private_key_jwt instead of a secret: an ES256 assertion verified per
// request and its jti written once (the replay cache), beside the secret's
// SHA-256. The assertions are signed before the timer starts, as a client
// would sign its own.
func BenchmarkTokenClientCredentialsPrivateKeyJWT(b *testing.B) {
	key := newClientKey(b, jose.ES256)
	f := newFixture(b, app.ClientInput{AuthMethod: "private_key_jwt", JWKS: key.jwks(b), GrantTypes: []string{"client_credentials"}})
	h := benchHandler(f)
	assertions := make(chan string, b.N+64)
	for range b.N + 64 {
		assertions <- key.assertion(b, f.client.ClientID, f.ts.URL+"/oauth/token", f.env.Clock.Now(), nil)
	}
	b.ReportAllocs()
	b.ResetTimer()
	defer apptest.CPUPerOp(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			form := assertionForm(<-assertions, url.Values{"grant_type": {"client_credentials"}})
			r := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
}

// BenchmarkDevicePoll is one authorization_pending poll of the device
// grant: public client lookup, one write (the poll time) and the answer.
func BenchmarkDevicePoll(b *testing.B) {
	f := newFixture(b, app.ClientInput{AuthMethod: "none", RedirectURIs: []string{}, GrantTypes: []string{"device_code"}})
	h := benchHandler(f)
	var form string
	start := func() { // a fresh device code: one lasts 120 polls 5 seconds apart
		res, body := f.post("/oauth/device_authorization", url.Values{"client_id": {f.client.ClientID}, "scope": {"openid"}}, nil)
		if res.StatusCode != 200 {
			b.Fatalf("device authorization %d %v", res.StatusCode, body)
		}
		form = url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "client_id": {f.client.ClientID},
			"device_code": {body["device_code"].(string)}}.Encode()
	}
	start()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if i%100 == 99 {
			b.StopTimer()
			start()
			b.StartTimer()
		}
		f.env.Clock.Advance(5_000_000_001) // one interval and a nanosecond: never slow_down
		r := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 400 || !strings.Contains(w.Body.String(), "authorization_pending") {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
