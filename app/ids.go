package app

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
)

// The prefixes of public identifiers (SPEC §3).
const (
	prefixUser    = "user_"
	prefixOrg     = "org_"
	prefixProduct = "prod_"
	prefixSub     = "sub_"
	prefixClient  = "client_"
	prefixKey     = "key_"
	prefixAudit   = "aud_"
)

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newID returns prefix plus 128 random bits in lower-case base32: URL-safe,
// unguessable and never sequential.
func newID(prefix string) string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return short)
	return prefix + idEncoding.EncodeToString(b[:])
}

// newSecret returns prefix plus 256 random bits, base64url: for secrets that
// are shown once and stored as hashSecret.
func newSecret(prefix string) string {
	var b [32]byte
	rand.Read(b[:])
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// hashSecret is the stored form of a high-entropy secret: SHA-256 is enough
// when the input has 256 bits of entropy, and costs nanoseconds on hot paths.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
