package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"optare/app/middleware"
)

func TestTrustProxies(t *testing.T) {
	trusted, err := middleware.ParseProxies([]string{"10.0.0.0/8", "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := middleware.ParseProxies([]string{"not-a-range"}); err == nil {
		t.Fatal("a bad range was accepted")
	}
	var got string
	h := middleware.TrustProxies(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = middleware.ClientIP(r) }))
	for _, c := range []struct {
		name, peer, header, value, want string
	}{
		{"untrusted peer: header ignored", "198.51.100.7:1234", "X-Forwarded-For", "203.0.113.9", "198.51.100.7"},
		{"trusted peer: XFF client", "127.0.0.1:1234", "X-Forwarded-For", "203.0.113.9", "203.0.113.9"},
		{"spoofed left entries skipped", "10.1.2.3:1234", "X-Forwarded-For", "1.2.3.4, 203.0.113.9, 10.0.0.5", "203.0.113.9"},
		{"Forwarded wins", "127.0.0.1:1234", "Forwarded", `for=192.0.2.60;proto=https, for="[2001:db8::17]:4711"`, "2001:db8::17"},
		{"garbage: peer", "127.0.0.1:1234", "X-Forwarded-For", "not-an-ip", "127.0.0.1"},
		{"no header: peer", "127.0.0.1:1234", "", "", "127.0.0.1"},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = c.peer
		if c.header != "" {
			req.Header.Set(c.header, c.value)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got != c.want {
			t.Errorf("%s: client %q, want %q", c.name, got, c.want)
		}
	}
}
