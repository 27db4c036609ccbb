package apptest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// DPoPKey is a client's DPoP key, making proofs the way a relying party
// does (RFC 9449 §4.2) with go-jose, independently of Optare's own code.
type DPoPKey struct {
	Priv crypto.Signer
	Alg  jose.SignatureAlgorithm
}

// NewDPoPKey makes a fresh key for alg (ES256, EdDSA or RS256).
func NewDPoPKey(t testing.TB, alg jose.SignatureAlgorithm) DPoPKey {
	t.Helper()
	var priv crypto.Signer
	var err error
	switch alg {
	case jose.ES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case jose.EdDSA:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	case jose.RS256, jose.PS256:
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	default:
		t.Fatalf("no DPoP test key for %s", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return DPoPKey{Priv: priv, Alg: alg}
}

// JKT is the key's JWK SHA-256 thumbprint (RFC 7638), as cnf.jkt holds it.
func (k DPoPKey) JKT(t testing.TB) string {
	t.Helper()
	jwk := jose.JSONWebKey{Key: k.Priv.Public()}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(tp)
}

// Proof makes a proof for a request: htm method, htu url, iat at, a fresh
// jti, and ath when accessToken is set.
func (k DPoPKey) Proof(t testing.TB, method, url, accessToken string, at time.Time) string {
	t.Helper()
	claims := map[string]any{"jti": rand.Text(), "htm": method, "htu": url, "iat": at.Unix()}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims["ath"] = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return k.Sign(t, "dpop+jwt", claims)
}

// Sign signs any claims with typ and the public key in the jwk header,
// for proofs that are wrong on purpose.
func (k DPoPKey) Sign(t testing.TB, typ string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{EmbedJWK: true}).WithType(jose.ContentType(typ))
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: k.Alg, Key: k.Priv}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}
