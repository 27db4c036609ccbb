package oidc

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// PKCE code challenge methods (RFC 7636 §4.2).
const (
	PKCEMethodS256  = "S256"
	PKCEMethodPlain = "plain"
)

// Length limits of a PKCE code verifier and plain challenge (RFC 7636 §4.1).
const (
	minVerifierLength = 43
	maxVerifierLength = 128
)

// VerifyPKCE reports whether verifier answers the challenge stored with the
// authorization code (RFC 7636 §4.6). For S256 the challenge must equal
// BASE64URL-ENCODE(SHA256(verifier)); for plain (also the meaning of an
// empty method) it must equal the verifier. The verifier must be 43 to 128
// unreserved characters. The comparison takes constant time.
func VerifyPKCE(method, challenge, verifier string) bool {
	if challenge == "" || !validVerifier(verifier) {
		return false
	}
	var want string
	switch method {
	case PKCEMethodS256:
		want = ChallengeS256(verifier)
	case PKCEMethodPlain, "":
		want = verifier
	default:
		return false
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

// ChallengeS256 returns the S256 code challenge of verifier:
// BASE64URL-ENCODE(SHA256(ASCII(verifier))) without padding.
func ChallengeS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// validVerifier reports whether s is a well-formed code verifier, or plain
// code challenge: 43 to 128 characters of [A-Za-z0-9-._~].
func validVerifier(s string) bool {
	if len(s) < minVerifierLength || len(s) > maxVerifierLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			return false
		}
	}
	return true
}

// unreserved reports whether c is an unreserved URI character (RFC 3986 §2.3).
func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// validS256Challenge reports whether s can be an S256 challenge: the 43
// base64url characters of a SHA-256 digest.
func validS256Challenge(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil
}
