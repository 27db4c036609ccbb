package oidc

import (
	"net/url"
	"strings"
	"testing"
)

func TestValidRedirectURI(t *testing.T) {
	tests := []struct {
		raw string
		ok  bool
	}{
		{"https://app.example.com/callback", true},
		{"https://app.example.com/callback?tenant=1", true},
		{"https://app.example.com:8443/cb", true},
		{"HTTPS://app.example.com/cb", true},
		{"http://localhost:3000/cb", true},
		{"http://localhost/cb", true},
		{"http://LOCALHOST:3000/cb", true},
		{"http://127.0.0.1:49152/cb", true},
		{"http://[::1]:8080/cb", true},
		{"com.example.app:/oauth2redirect", true},
		{"com.example.app:/oauth2redirect/example-provider", true},
		{"com.example.app://callback", true},
		{"", false},
		{"/callback", false},
		{"app.example.com/callback", false},
		{"http://app.example.com/cb", false},
		{"http://localhost.evil.com/cb", false},
		{"http://127.0.0.2/cb", false},
		{"http://[::2]/cb", false},
		{"https://app.example.com/cb#frag", false},
		{"https://app.example.com/cb#", false},
		{"https://user:pass@app.example.com/cb", false},
		{"https://user@app.example.com/cb", false},
		{"https:///cb", false},
		{"https:app.example.com", false},
		{"http:localhost", false},
		{"javascript:alert(1)", false},
		{"data:text/html,hi", false},
		{"myapp:/cb", false},
		{"com.example.app:", false},
		{"file:///etc/passwd", false},
		{"https://app.example.com/a b", false},
		{"https://app.example.com/\x00", false},
		{"https://app.example.com/é", false},
		{"https://" + strings.Repeat("a", maxURILength) + ".com/", false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			err := ValidRedirectURI(tt.raw)
			if (err == nil) != tt.ok {
				t.Errorf("ValidRedirectURI(%q) = %v, want ok=%v", tt.raw, err, tt.ok)
			}
		})
	}
}

func TestMatchRedirectURI(t *testing.T) {
	registered := []string{"https://app.example.com/cb", "http://localhost:3000/cb", "com.example.app:/cb"}
	tests := []struct {
		got  string
		want bool
	}{
		{"https://app.example.com/cb", true},
		{"http://localhost:3000/cb", true},
		{"com.example.app:/cb", true},
		{"", false},
		{"https://app.example.com/cb/", false},
		{"https://app.example.com/cb?x=1", false},
		{"https://app.example.com/c", false},
		{"https://APP.example.com/cb", false},
		{"https://app.example.com:443/cb", false},
		{"https://app.example.com/%63b", false},
		{"http://localhost:3001/cb", false},
		{"https://app.example.com/cb#x", false},
	}
	for _, tt := range tests {
		t.Run(tt.got, func(t *testing.T) {
			if got := MatchRedirectURI(registered, tt.got); got != tt.want {
				t.Errorf("MatchRedirectURI(%q) = %v, want %v", tt.got, got, tt.want)
			}
		})
	}
	if MatchRedirectURI(nil, "https://app.example.com/cb") {
		t.Error("matched against no registered URIs")
	}
}

func TestValidOrigin(t *testing.T) {
	tests := []struct {
		raw string
		ok  bool
	}{
		{"https://app.example.com", true},
		{"https://app.example.com:8443", true},
		{"http://localhost:3000", true},
		{"http://127.0.0.1:5173", true},
		{"http://[::1]:8080", true},
		{"http://localhost", true},
		{"", false},
		{"https://app.example.com/", false},
		{"https://app.example.com/path", false},
		{"https://app.example.com?x", false},
		{"https://app.example.com?", false},
		{"https://app.example.com#x", false},
		{"https://App.example.com", false},
		{"https://app.example.com:443", false},
		{"http://localhost:80", false},
		{"https://app.example.com:", false},
		{"https://app.example.com:0", false},
		{"https://app.example.com:065535", false},
		{"https://app.example.com:70000", false},
		{"http://app.example.com", false},
		{"https://u@app.example.com", false},
		{"com.example.app://x", false},
		{"app.example.com", false},
		{"null", false},
		{"https://", false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			err := ValidOrigin(tt.raw)
			if (err == nil) != tt.ok {
				t.Errorf("ValidOrigin(%q) = %v, want ok=%v", tt.raw, err, tt.ok)
			}
		})
	}
}

func FuzzMatchRedirectURI(f *testing.F) {
	seeds := [][2]string{
		{"https://app.example.com/cb", "https://app.example.com/cb"},
		{"https://app.example.com/cb", "https://app.example.com/cb/"},
		{"http://localhost:3000/cb", "http://127.0.0.1:3000/cb"},
		{"com.example.app:/cb", "com.example.app:/cb#x"},
		{"https://user@a.example/", "https://a.example/"},
		{"", ""},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, registered, got string) {
		match := MatchRedirectURI([]string{registered}, got)
		if match != (got != "" && got == registered) {
			t.Fatalf("MatchRedirectURI(%q, %q) = %v", registered, got, match)
		}
		if !MatchRedirectURI([]string{"x", registered}, registered) && registered != "" {
			t.Fatalf("registered URI %q does not match itself", registered)
		}
		// Validation never panics, and what it accepts is safe to redirect to.
		for _, raw := range []string{registered, got} {
			if ValidRedirectURI(raw) == nil {
				u, err := url.Parse(raw)
				if err != nil || u.Scheme == "" || u.User != nil || strings.Contains(raw, "#") {
					t.Fatalf("ValidRedirectURI accepted %q", raw)
				}
				if u.Scheme == "http" && !loopbackHost(u.Hostname()) {
					t.Fatalf("ValidRedirectURI accepted non-loopback http %q", raw)
				}
				_ = RedirectURL(raw, AccessDenied("no"), "s", "https://id.example")
			}
			if ValidOrigin(raw) == nil {
				u, err := url.Parse(raw)
				if err != nil || u.Path != "" || u.RawQuery != "" || (u.Scheme != "https" && u.Scheme != "http") {
					t.Fatalf("ValidOrigin accepted %q", raw)
				}
				if u.Scheme+"://"+u.Host != raw {
					t.Fatalf("ValidOrigin accepted %q, not a serialized origin", raw)
				}
			}
		}
	})
}

func TestMatchNativeRedirectURI(t *testing.T) {
	reg := []string{"http://127.0.0.1/callback", "http://[::1]/cb?x=1", "http://localhost/cb", "https://app.example.com/cb"}
	for got, want := range map[string]bool{
		"http://127.0.0.1/callback":        true,
		"http://127.0.0.1:53127/callback":  true,
		"http://127.0.0.1:1/callback":      true,
		"http://[::1]:8080/cb?x=1":         true,
		"http://[::1]:8080/cb":             false, // query differs
		"http://127.0.0.1:53127/callback/": false, // path differs
		"http://127.0.0.1:53127/other":     false,
		"https://127.0.0.1:53127/callback": false, // scheme differs
		"http://127.0.0.2:53127/callback":  false,
		"http://localhost:53127/cb":        false, // localhost is not a loopback literal
		"http://localhost/cb":              true,  // exact
		"http://127.0.0.1:99999/callback":  false,
		"http://127.0.0.1:/callback":       false,
		"http://u@127.0.0.1:5000/callback": false,
		"http://127.0.0.1:5000/callback#f": false,
		"https://app.example.com:8443/cb":  false,
		"http://[::1]:8080/cb?x=1&y=2":     false,
		"":                                 false,
	} {
		if MatchNativeRedirectURI(reg, got) != want {
			t.Errorf("MatchNativeRedirectURI(%q) = %v, want %v", got, !want, want)
		}
	}
}
