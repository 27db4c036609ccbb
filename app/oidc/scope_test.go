package oidc

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseScope(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{"empty", "", nil, false},
		{"spaces only", "   ", nil, false},
		{"one", "openid", []string{"openid"}, false},
		{"several in order", "openid profile email", []string{"openid", "profile", "email"}, false},
		{"runs of spaces collapse", "  openid   email ", []string{"openid", "email"}, false},
		{"duplicates removed keeping order", "email openid email openid", []string{"email", "openid"}, false},
		{"product slug", "openid billing-pro", []string{"openid", "billing-pro"}, false},
		{"allowed punctuation", "a!b #$%&'()*+,-./:;<=>?@[]^_`{|}~", []string{"a!b", "#$%&'()*+,-./:;<=>?@[]^_`{|}~"}, false},
		{"double quote", `openid "x"`, nil, true},
		{"backslash", `openid a\b`, nil, true},
		{"tab", "openid\temail", nil, true},
		{"newline", "openid\nemail", nil, true},
		{"non-ASCII", "openid émail", nil, true},
		{"NUL", "openid\x00", nil, true},
		{"DEL", "openid\x7f", nil, true},
		{"too long", strings.Repeat("a", maxScopeLength+1), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseScope(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseScope(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseScope(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestJoinScope(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"openid"}, "openid"},
		{[]string{"openid", "email", "prod-a"}, "openid email prod-a"},
	}
	for _, tt := range tests {
		if got := JoinScope(tt.in); got != tt.want {
			t.Errorf("JoinScope(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScopeDescription(t *testing.T) {
	tests := []struct {
		scope, want string
	}{
		{"openid", "Sign you in with your Optare account"},
		{"email", "See your email address"},
		{"profile", "See your name and profile"},
		{"offline_access", "Stay connected when you are not using the app"},
		{"billing-pro", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ScopeDescription(tt.scope); got != tt.want {
			t.Errorf("ScopeDescription(%q) = %q, want %q", tt.scope, got, tt.want)
		}
	}
}

func FuzzParseScope(f *testing.F) {
	for _, s := range []string{"", "openid", "openid email profile offline_access", "  a  b a ", `"`, "\\", "a\tb", "é", "a\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		scopes, err := ParseScope(s)
		if err != nil {
			if scopes != nil {
				t.Fatalf("scopes %q returned with error %v", scopes, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, sc := range scopes {
			if sc == "" {
				t.Fatalf("empty scope token from %q", s)
			}
			if seen[sc] {
				t.Fatalf("duplicate %q from %q", sc, s)
			}
			seen[sc] = true
			for i := 0; i < len(sc); i++ {
				if !scopeChar(sc[i]) {
					t.Fatalf("bad character %q in %q", sc[i], sc)
				}
			}
		}
		// Joining and parsing again is stable.
		again, err := ParseScope(JoinScope(scopes))
		if err != nil || !cmp.Equal(again, scopes) {
			t.Fatalf("round trip of %q: %q, %v", scopes, again, err)
		}
	})
}
