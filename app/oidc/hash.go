package oidc

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	// Register SHA-384 and SHA-512 for crypto.Hash.New.
	_ "crypto/sha512"
)

// AtHash returns the at_hash claim for accessToken in an ID token signed
// with alg (OpenID Connect Core §3.1.3.6): the base64url-encoded left half
// of the token's hash, SHA-256 for the *256 algorithms, SHA-384 and SHA-512
// for *384 and *512. It returns "" for an algorithm it does not know.
func AtHash(accessToken, alg string) string {
	var h crypto.Hash
	switch alg {
	case "RS256", "ES256", "PS256", "HS256":
		h = crypto.SHA256
	case "RS384", "ES384", "PS384", "HS384":
		h = crypto.SHA384
	case "RS512", "ES512", "PS512", "HS512":
		h = crypto.SHA512
	default:
		return ""
	}
	d := h.New()
	d.Write([]byte(accessToken))
	sum := d.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

// HashSecret returns the hex SHA-256 of secret, for storing high-entropy
// secrets (client secrets, refresh tokens, API keys) that only need to be
// recognised. It is not a password hash.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// EqualHash reports whether a and b are equal, in time that depends only on
// their lengths.
func EqualHash(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// RandomToken returns prefix followed by nBytes from crypto/rand, base64url
// encoded without padding. 32 bytes give 256 bits of entropy.
func RandomToken(prefix string, nBytes int) (string, error) {
	if nBytes < 16 {
		return "", fmt.Errorf("random token: %d bytes is too short, need at least 16", nBytes)
	}
	b := make([]byte, nBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}
