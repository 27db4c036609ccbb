package oidc

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestAtHash(t *testing.T) {
	tests := []struct {
		token, alg, want string
	}{
		// OpenID Connect Core Appendix A.3/A.4 example.
		{"jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "RS256", "77QmUPtjPfzWtF2AnpK9RQ"},
		{"jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "ES256", "77QmUPtjPfzWtF2AnpK9RQ"},
		{"x", "none", ""},
		{"x", "", ""},
	}
	for _, tt := range tests {
		if got := AtHash(tt.token, tt.alg); got != tt.want {
			t.Errorf("AtHash(%q, %q) = %q, want %q", tt.token, tt.alg, got, tt.want)
		}
	}
	for alg, n := range map[string]int{"RS384": 24, "ES512": 32} {
		b, err := base64.RawURLEncoding.DecodeString(AtHash("t", alg))
		if err != nil || len(b) != n {
			t.Errorf("AtHash(%s) decodes to %d bytes (%v), want %d", alg, len(b), err, n)
		}
	}
}

func TestHashSecret(t *testing.T) {
	// SHA-256 of "abc" (FIPS 180-2).
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := HashSecret("abc"); got != want {
		t.Errorf("HashSecret(abc) = %s", got)
	}
	tests := []struct {
		a, b string
		want bool
	}{
		{HashSecret("s"), HashSecret("s"), true},
		{HashSecret("s"), HashSecret("t"), false},
		{"", "", true},
		{"a", "ab", false},
	}
	for _, tt := range tests {
		if got := EqualHash(tt.a, tt.b); got != tt.want {
			t.Errorf("EqualHash(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestRandomToken(t *testing.T) {
	tests := []struct {
		prefix  string
		n       int
		wantLen int
		wantErr bool
	}{
		{"rt_", 32, 3 + 43, false},
		{"", 16, 22, false},
		{"secret_", 24, 7 + 32, false},
		{"x", 15, 0, true},
		{"x", 0, 0, true},
	}
	for _, tt := range tests {
		got, err := RandomToken(tt.prefix, tt.n)
		if (err != nil) != tt.wantErr {
			t.Fatalf("RandomToken(%q, %d) error = %v", tt.prefix, tt.n, err)
		}
		if err != nil {
			continue
		}
		if len(got) != tt.wantLen || !strings.HasPrefix(got, tt.prefix) {
			t.Errorf("RandomToken(%q, %d) = %q", tt.prefix, tt.n, got)
		}
		if _, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(got, tt.prefix)); err != nil {
			t.Errorf("not base64url: %q", got)
		}
	}
	seen := map[string]bool{}
	for range 100 {
		tok, _ := RandomToken("", 16)
		if seen[tok] {
			t.Fatal("repeated token")
		}
		seen[tok] = true
	}
}
