package oidc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// Signing algorithms Optare supports (RFC 7518 §3.1).
const (
	AlgRS256 = "RS256"
	AlgES256 = "ES256"
	// AlgEdDSA signs licence tokens with an Ed25519 key (RFC 8037): small
	// signatures that an app verifies offline with any JOSE library.
	AlgEdDSA = "EdDSA"
)

// rsaBits is the size of generated RSA keys and the least ParsePrivate takes.
const rsaBits = 2048

// pemType is the PEM block type of a PKCS#8 private key.
const pemType = "PRIVATE KEY"

// Key is a signing key: an RSA key for RS256, a P-256 key for ES256 or an
// Ed25519 key for EdDSA.
type Key struct {
	// ID is the key's "kid", by default its RFC 7638 thumbprint.
	ID string
	// Alg is RS256, ES256 or EdDSA.
	Alg string
	// Private is an *rsa.PrivateKey, *ecdsa.PrivateKey or ed25519.PrivateKey.
	Private crypto.Signer
}

// GenerateKey returns a new key for alg: RSA 2048 for RS256, P-256 for
// ES256, Ed25519 for EdDSA. Its ID is the RFC 7638 JWK thumbprint (SHA-256, base64url).
func GenerateKey(alg string) (Key, error) {
	var priv crypto.Signer
	var err error
	switch alg {
	case AlgRS256:
		priv, err = rsa.GenerateKey(rand.Reader, rsaBits)
	case AlgES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case AlgEdDSA:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	default:
		return Key{}, fmt.Errorf("generate key: unsupported algorithm %q", alg)
	}
	if err != nil {
		return Key{}, fmt.Errorf("generate %s key: %w", alg, err)
	}
	kid, err := Thumbprint(priv.Public())
	if err != nil {
		return Key{}, fmt.Errorf("generate %s key: %w", alg, err)
	}
	return Key{ID: kid, Alg: alg, Private: priv}, nil
}

// Thumbprint returns the RFC 7638 JWK thumbprint of a public key: the
// base64url SHA-256 of its canonical JWK.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	jwk := jose.JSONWebKey{Key: pub}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// MarshalPrivate encodes k's private key as a PKCS#8 PEM block, for storage.
func MarshalPrivate(k Key) ([]byte, error) {
	if err := checkKey(k.Alg, k.Private); err != nil {
		return nil, fmt.Errorf("marshal key %s: %w", k.ID, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k.Private)
	if err != nil {
		return nil, fmt.Errorf("marshal key %s: %w", k.ID, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der}), nil
}

// ParsePrivate decodes a PKCS#8 private key, PEM or DER, as stored by
// MarshalPrivate, and checks that it fits alg. An empty kid is replaced by
// the key's thumbprint.
func ParsePrivate(kid, alg string, pemOrDER []byte) (Key, error) {
	der := pemOrDER
	if block, _ := pem.Decode(pemOrDER); block != nil {
		if block.Type != pemType {
			return Key{}, fmt.Errorf("parse key %s: PEM block %q, want %q", kid, block.Type, pemType)
		}
		der = block.Bytes
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return Key{}, fmt.Errorf("parse key %s: %w", kid, err)
	}
	priv, ok := parsed.(crypto.Signer)
	if !ok {
		return Key{}, fmt.Errorf("parse key %s: %T is not a signing key", kid, parsed)
	}
	if err := checkKey(alg, priv); err != nil {
		return Key{}, fmt.Errorf("parse key %s: %w", kid, err)
	}
	if kid == "" {
		if kid, err = Thumbprint(priv.Public()); err != nil {
			return Key{}, fmt.Errorf("parse key: %w", err)
		}
	}
	return Key{ID: kid, Alg: alg, Private: priv}, nil
}

// checkKey reports whether priv is a key of the kind alg needs.
func checkKey(alg string, priv crypto.Signer) error {
	switch alg {
	case AlgRS256:
		k, ok := priv.(*rsa.PrivateKey)
		if !ok || k == nil || k.N == nil {
			return fmt.Errorf("RS256 needs an RSA key, got %T", priv)
		}
		if k.N.BitLen() < rsaBits {
			return fmt.Errorf("RSA key of %d bits is too small, need %d", k.N.BitLen(), rsaBits)
		}
	case AlgES256:
		k, ok := priv.(*ecdsa.PrivateKey)
		if !ok || k == nil {
			return fmt.Errorf("ES256 needs an ECDSA key, got %T", priv)
		}
		if k.Curve != elliptic.P256() {
			return errors.New("ES256 needs a P-256 key")
		}
	case AlgEdDSA:
		k, ok := priv.(ed25519.PrivateKey)
		if !ok || len(k) != ed25519.PrivateKeySize {
			return fmt.Errorf("EdDSA needs an Ed25519 key, got %T", priv)
		}
	default:
		return fmt.Errorf("unsupported algorithm %q", alg)
	}
	return nil
}
