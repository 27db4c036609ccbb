package oidc

import (
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// JWT "typ" header values.
const (
	TypeJWT         = "JWT"         // ID tokens
	TypeAccessToken = "at+jwt"      // access tokens (RFC 9068 §2.1)
	TypeLicense     = "license+jwt" // signed licence tokens for offline use
)

// maxTokenLength bounds the tokens Verify parses.
const maxTokenLength = 16 << 10

// Errors of KeySet.Verify and ValidateTimes, for errors.Is.
var (
	ErrMalformedToken = errors.New("malformed token")
	ErrUnknownKey     = errors.New("token signed by an unknown key")
	ErrBadSignature   = errors.New("token signature invalid")
	ErrWrongType      = errors.New("token has the wrong typ")
	ErrExpired        = errors.New("token expired")
	ErrNotYetValid    = errors.New("token not yet valid")
	ErrIssuedInFuture = errors.New("token issued in the future")
	ErrNoSigningKey   = errors.New("no signing key")
)

// verifyAlgs are the algorithms Verify accepts; anything else, "none"
// and HMAC above all, is refused before any key is consulted.
var verifyAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.ES256, jose.EdDSA}

// KeySet holds the key that signs and the keys that are published: the
// signing key, keys about to sign (next) and keys that no longer sign but
// may have signed tokens still valid (retired). Package app decides which
// keys those are; a KeySet is immutable and safe for concurrent use, and is
// replaced as a whole when keys rotate.
type KeySet struct {
	signing   Key
	published map[string]Key
	jwks      []byte

	mu      sync.RWMutex
	headers map[string]string // encoded JWS headers by typ (jws.go)
}

// NewKeySet returns a key set that signs with signing and publishes
// published plus signing. A zero signing key gives a set that only
// verifies. Keys must have distinct IDs. The JWS headers of the JWT and
// at+jwt types are encoded here, so Sign does not encode them per call.
func NewKeySet(signing Key, published []Key) (*KeySet, error) {
	ks := &KeySet{
		signing:   signing,
		published: make(map[string]Key),
		headers:   make(map[string]string),
	}
	keys := published
	if signing.Private != nil && !slices.ContainsFunc(published, func(k Key) bool { return k.ID == signing.ID }) {
		keys = append([]Key{signing}, published...)
	}
	var set jose.JSONWebKeySet
	for _, k := range keys {
		if k.ID == "" {
			return nil, errors.New("key set: key without an ID")
		}
		if err := checkKey(k.Alg, k.Private); err != nil {
			return nil, fmt.Errorf("key set: key %s: %w", k.ID, err)
		}
		if _, dup := ks.published[k.ID]; dup {
			return nil, fmt.Errorf("key set: duplicate key ID %s", k.ID)
		}
		ks.published[k.ID] = k
		set.Keys = append(set.Keys, jose.JSONWebKey{
			Key: k.Private.Public(), KeyID: k.ID, Algorithm: k.Alg, Use: "sig",
		})
	}
	if signing.Private != nil && !samePrivate(ks.published[signing.ID].Private, signing.Private) {
		return nil, fmt.Errorf("key set: published key %s differs from the signing key", signing.ID)
	}
	jwks, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("key set: marshal JWKS: %w", err)
	}
	ks.jwks = jwks
	if signing.Private != nil {
		types := []string{TypeJWT, TypeAccessToken}
		if signing.Alg == AlgEdDSA {
			types = []string{TypeLicense}
		}
		for _, typ := range types {
			ks.header(typ)
		}
	}
	return ks, nil
}

// JWKS returns the JSON Web Key Set of the published public keys,
// {"keys":[{"kty","kid","use":"sig","alg",...}]}, as served at
// /.well-known/jwks.json. The bytes are computed once; do not modify them.
func (ks *KeySet) JWKS() ([]byte, error) {
	return ks.jwks, nil
}

// SigningKeyID returns the kid of the signing key, or "" without one.
func (ks *KeySet) SigningKeyID() string { return ks.signing.ID }

// SigningAlg returns the algorithm of the signing key, as AtHash needs it.
func (ks *KeySet) SigningAlg() string { return ks.signing.Alg }

// Sign encodes claims as JSON and signs them with the signing key, giving
// a compact JWS whose header carries alg, kid and typ (omitted when typ is
// ""). Use TypeJWT for ID tokens and TypeAccessToken for access tokens.
//
// The JWS is assembled here (jws.go) rather than by go-jose's signer: the
// header is fixed per type, so it is encoded once, and the token endpoint
// then spends its time on the signature itself.
func (ks *KeySet) Sign(claims any, typ string) (string, error) {
	if ks.signing.Private == nil {
		return "", fmt.Errorf("sign: %w", ErrNoSigningKey)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("sign: encode claims: %w", err)
	}
	token, err := signCompact(ks.signing, ks.header(typ), payload)
	if err != nil {
		return "", fmt.Errorf("sign with key %s: %w", ks.signing.ID, err)
	}
	return token, nil
}

// Verify checks a compact JWS signed with RS256, ES256 or EdDSA by the published
// key its kid header names, and decodes its claims into out. It checks no
// claim: the caller checks iss, aud and, with ValidateTimes, exp, nbf and
// iat against its own clock.
func (ks *KeySet) Verify(token string, out any) error {
	payload, _, err := ks.verify(token)
	if err != nil {
		return err
	}
	return decodeClaims(payload, out)
}

// decodeClaims decodes a verified payload with encoding/json, the package
// Sign encodes with.
func decodeClaims(payload []byte, out any) error {
	if err := json.Unmarshal(payload, out); err != nil {
		return fmt.Errorf("verify token: decode claims: %w: %w", ErrMalformedToken, err)
	}
	return nil
}

// VerifyType is Verify that also requires the typ header to be typ,
// compared as RFC 7515 §4.1.9 says: case-insensitively, with or without an
// "application/" prefix. Checking typ keeps an ID token from passing as an
// access token (RFC 9068 §4).
func (ks *KeySet) VerifyType(token, typ string, out any) error {
	payload, got, err := ks.verify(token)
	if err != nil {
		return err
	}
	if normalType(got) != normalType(typ) {
		return fmt.Errorf("verify token: typ %q, want %q: %w", got, typ, ErrWrongType)
	}
	return decodeClaims(payload, out)
}

func normalType(typ string) string {
	return strings.TrimPrefix(strings.ToLower(typ), "application/")
}

// verify checks token and returns its payload and typ header.
func (ks *KeySet) verify(token string) (json.RawMessage, string, error) {
	if len(token) > maxTokenLength {
		return nil, "", fmt.Errorf("verify token: longer than %d bytes: %w", maxTokenLength, ErrMalformedToken)
	}
	parsed, err := jwt.ParseSigned(token, verifyAlgs)
	if err != nil {
		return nil, "", fmt.Errorf("verify token: %w: %w", ErrMalformedToken, err)
	}
	if len(parsed.Headers) != 1 {
		return nil, "", fmt.Errorf("verify token: %d signatures: %w", len(parsed.Headers), ErrMalformedToken)
	}
	h := parsed.Headers[0]
	key, ok := ks.published[h.KeyID]
	if !ok || h.KeyID == "" {
		return nil, "", fmt.Errorf("verify token: kid %q: %w", h.KeyID, ErrUnknownKey)
	}
	if h.Algorithm != key.Alg {
		return nil, "", fmt.Errorf("verify token: alg %s for a %s key: %w", h.Algorithm, key.Alg, ErrBadSignature)
	}
	// go-jose decodes with its own JSON fork; take the raw payload and let
	// encoding/json decode it, as it encoded it.
	var payload json.RawMessage
	if err := parsed.Claims(key.Private.Public(), &payload); err != nil {
		if errors.Is(err, jose.ErrCryptoFailure) {
			return nil, "", fmt.Errorf("verify token: %w", ErrBadSignature)
		}
		return nil, "", fmt.Errorf("verify token: %w: %w", ErrMalformedToken, err)
	}
	typ, _ := h.ExtraHeaders[jose.HeaderType].(string)
	return payload, typ, nil
}

// samePrivate reports whether a and b are the same private key; Ed25519
// keys are byte slices, so == cannot compare them.
func samePrivate(a, b crypto.Signer) bool {
	eq, ok := a.(interface{ Equal(crypto.PrivateKey) bool })
	return ok && eq.Equal(b)
}
