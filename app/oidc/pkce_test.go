package oidc

import (
	"strings"
	"testing"
)

// RFC 7636 Appendix B.
const (
	rfcVerifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	rfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
)

func TestChallengeS256(t *testing.T) {
	if got := ChallengeS256(rfcVerifier); got != rfcChallenge {
		t.Errorf("ChallengeS256() = %q, want %q", got, rfcChallenge)
	}
}

func TestVerifyPKCE(t *testing.T) {
	long := strings.Repeat("a", 128)
	tests := []struct {
		name                        string
		method, challenge, verifier string
		want                        bool
	}{
		{"S256 RFC 7636 vector", "S256", rfcChallenge, rfcVerifier, true},
		{"S256 wrong verifier", "S256", rfcChallenge, rfcVerifier[:42] + "Y", false},
		{"S256 challenge as verifier", "S256", rfcChallenge, rfcChallenge, false},
		{"S256 lowercase method refused", "s256", rfcChallenge, rfcVerifier, false},
		{"plain equal", "plain", rfcVerifier, rfcVerifier, true},
		{"empty method is plain", "", rfcVerifier, rfcVerifier, true},
		{"plain 128 chars", "plain", long, long, true},
		{"plain differs", "plain", rfcVerifier, rfcChallenge, false},
		{"plain with S256 challenge", "plain", rfcChallenge, rfcVerifier, false},
		{"unknown method", "S512", rfcChallenge, rfcVerifier, false},
		{"empty challenge", "S256", "", rfcVerifier, false},
		{"empty verifier", "plain", "", "", false},
		{"verifier too short", "plain", strings.Repeat("a", 42), strings.Repeat("a", 42), false},
		{"verifier too long", "plain", long + "a", long + "a", false},
		{"verifier bad char", "S256", ChallengeS256(strings.Repeat("a", 42) + "+"), strings.Repeat("a", 42) + "+", false},
		{"verifier with space", "S256", ChallengeS256(strings.Repeat("a", 42) + " "), strings.Repeat("a", 42) + " ", false},
		{"all unreserved", "S256", ChallengeS256("AZaz09-._~" + strings.Repeat("x", 33)), "AZaz09-._~" + strings.Repeat("x", 33), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VerifyPKCE(tt.method, tt.challenge, tt.verifier); got != tt.want {
				t.Errorf("VerifyPKCE(%q, %q, %q) = %v, want %v", tt.method, tt.challenge, tt.verifier, got, tt.want)
			}
		})
	}
}

func FuzzVerifyPKCE(f *testing.F) {
	f.Add("S256", rfcChallenge, rfcVerifier)
	f.Add("plain", rfcVerifier, rfcVerifier)
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, method, challenge, verifier string) {
		ok := VerifyPKCE(method, challenge, verifier)
		if ok && !validVerifier(verifier) {
			t.Fatalf("accepted malformed verifier %q", verifier)
		}
		if ok && method == PKCEMethodS256 && challenge != ChallengeS256(verifier) {
			t.Fatalf("accepted wrong S256 challenge")
		}
		if validVerifier(verifier) && !VerifyPKCE(PKCEMethodS256, ChallengeS256(verifier), verifier) {
			t.Fatalf("refused the S256 challenge of %q", verifier)
		}
	})
}
