package oidc_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"optare/app/oidc"
)

const proofURL = "https://id.example.com/oauth/userinfo"

var b64 = base64.RawURLEncoding

var proofNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// proofKey signs proofs as a client does, with go-jose.
type proofKey struct {
	priv crypto.Signer
	alg  jose.SignatureAlgorithm
}

func newProofKey(t testing.TB, alg jose.SignatureAlgorithm, rsaBits int) proofKey {
	t.Helper()
	var priv crypto.Signer
	var err error
	switch alg {
	case jose.ES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case jose.EdDSA:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	default:
		priv, err = rsa.GenerateKey(rand.Reader, rsaBits)
	}
	if err != nil {
		t.Fatal(err)
	}
	return proofKey{priv: priv, alg: alg}
}

// sign makes a proof; opts may replace the header's typ and jwk.
func (k proofKey) sign(t testing.TB, claims map[string]any, typ string, embed bool, extra map[jose.HeaderKey]any) string {
	t.Helper()
	opts := &jose.SignerOptions{EmbedJWK: embed}
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	for k, v := range extra {
		opts = opts.WithHeader(k, v)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: k.priv}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
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

func proofClaims(over map[string]any) map[string]any {
	c := map[string]any{"jti": rand.Text(), "htm": "GET", "htu": proofURL, "iat": proofNow.Unix(),
		"ath": oidc.AccessTokenHash("the-token")}
	for k, v := range over {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

var proofCheck = oidc.DPoPCheck{Method: "GET", URL: proofURL, AccessToken: "the-token", Now: proofNow}

// TestVerifyDPoPProof: good proofs by each accepted key type verify and
// give the key's thumbprint; every RFC 9449 §4.3 check refuses its case.
func TestVerifyDPoPProof(t *testing.T) {
	es := newProofKey(t, jose.ES256, 0)
	for _, k := range []proofKey{es, newProofKey(t, jose.EdDSA, 0), newProofKey(t, jose.RS256, 2048)} {
		p, err := oidc.VerifyDPoPProof(k.sign(t, proofClaims(nil), "dpop+jwt", true, nil), proofCheck)
		if err != nil {
			t.Fatalf("%s: %v", k.alg, err)
		}
		jwk := jose.JSONWebKey{Key: k.priv.Public()}
		tp, _ := jwk.Thumbprint(crypto.SHA256)
		if p.JKT != b64.EncodeToString(tp) || p.JTI == "" || !p.IssuedAt.Equal(proofNow) {
			t.Errorf("%s: proof %+v", k.alg, p)
		}
	}
	// Same URL in another spelling, a query, a float iat, 59 s either way.
	for name, over := range map[string]map[string]any{
		"host case and default port": {"htu": "HTTPS://ID.example.com:443/oauth/userinfo"},
		"query and fragment ignored": {"htu": proofURL + "?x=1#f"},
		"float iat":                  {"iat": float64(proofNow.Unix()) + 0.5},
		"iat 59 s old":               {"iat": proofNow.Add(-59 * time.Second).Unix()},
		"iat 59 s ahead":             {"iat": proofNow.Add(59 * time.Second).Unix()},
	} {
		if _, err := oidc.VerifyDPoPProof(es.sign(t, proofClaims(over), "dpop+jwt", true, nil), proofCheck); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	private := jose.JSONWebKey{Key: es.priv}
	for name, proof := range map[string]string{
		"wrong typ":           es.sign(t, proofClaims(nil), "JWT", true, nil),
		"no typ":              es.sign(t, proofClaims(nil), "", true, nil),
		"no jwk":              es.sign(t, proofClaims(nil), "dpop+jwt", false, nil),
		"private jwk":         es.sign(t, proofClaims(nil), "dpop+jwt", false, map[jose.HeaderKey]any{"jwk": private}),
		"other key's jwk":     es.sign(t, proofClaims(nil), "dpop+jwt", false, map[jose.HeaderKey]any{"jwk": jose.JSONWebKey{Key: newProofKey(t, jose.ES256, 0).priv.Public()}}),
		"wrong htm":           es.sign(t, proofClaims(map[string]any{"htm": "POST"}), "dpop+jwt", true, nil),
		"lower-case htm":      es.sign(t, proofClaims(map[string]any{"htm": "get"}), "dpop+jwt", true, nil),
		"wrong htu path":      es.sign(t, proofClaims(map[string]any{"htu": "https://id.example.com/oauth/token"}), "dpop+jwt", true, nil),
		"wrong htu host":      es.sign(t, proofClaims(map[string]any{"htu": "https://evil.example.com/oauth/userinfo"}), "dpop+jwt", true, nil),
		"http instead":        es.sign(t, proofClaims(map[string]any{"htu": "http://id.example.com/oauth/userinfo"}), "dpop+jwt", true, nil),
		"stale iat":           es.sign(t, proofClaims(map[string]any{"iat": proofNow.Add(-61 * time.Second).Unix()}), "dpop+jwt", true, nil),
		"future iat":          es.sign(t, proofClaims(map[string]any{"iat": proofNow.Add(61 * time.Second).Unix()}), "dpop+jwt", true, nil),
		"no iat":              es.sign(t, proofClaims(map[string]any{"iat": nil}), "dpop+jwt", true, nil),
		"no jti":              es.sign(t, proofClaims(map[string]any{"jti": nil}), "dpop+jwt", true, nil),
		"no htu":              es.sign(t, proofClaims(map[string]any{"htu": nil}), "dpop+jwt", true, nil),
		"no ath":              es.sign(t, proofClaims(map[string]any{"ath": nil}), "dpop+jwt", true, nil),
		"ath of another":      es.sign(t, proofClaims(map[string]any{"ath": oidc.AccessTokenHash("other")}), "dpop+jwt", true, nil),
		"RSA 1024":            newProofKey(t, jose.RS256, 1024).sign(t, proofClaims(nil), "dpop+jwt", true, nil),
		"symmetric (HS256)":   hmacProof(t),
		"unsigned (alg none)": "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6Im5vbmUifQ.eyJqdGkiOiJ4In0.",
		"garbage":             "not.a.proof",
		"too large":           strings.Repeat("a", 9000),
	} {
		if _, err := oidc.VerifyDPoPProof(proof, proofCheck); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// At the token endpoint there is no access token and ath is not asked for.
	tokenCheck := oidc.DPoPCheck{Method: "POST", URL: "https://id.example.com/oauth/token", Now: proofNow}
	if _, err := oidc.VerifyDPoPProof(es.sign(t, proofClaims(map[string]any{"htm": "POST", "htu": tokenCheck.URL, "ath": nil}), "dpop+jwt", true, nil), tokenCheck); err != nil {
		t.Errorf("token endpoint proof: %v", err)
	}
}

// hmacProof is a proof "signed" with a shared secret, its jwk symmetric.
func hmacProof(t *testing.T) string {
	t.Helper()
	key := []byte("0123456789abcdef0123456789abcdef")
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: key},
		(&jose.SignerOptions{}).WithType("dpop+jwt").WithHeader("jwk", map[string]string{"kty": "oct", "k": b64.EncodeToString(key)}))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(proofClaims(nil))
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := jws.CompactSerialize()
	return out
}

// TestDPoPProofHeader: none is fine, two are refused.
func TestDPoPProofHeader(t *testing.T) {
	h := map[string][]string{}
	if p, e := oidc.DPoPProofHeader(h); p != "" || e != nil {
		t.Errorf("no header: %q %v", p, e)
	}
	h["Dpop"] = []string{"a.b.c", "d.e.f"}
	if _, e := oidc.DPoPProofHeader(h); e == nil || e.Code != oidc.CodeInvalidDPoPProof {
		t.Errorf("two headers: %v", e)
	}
}

// TestParseAuthorization: Bearer and DPoP in any case, nothing else.
func TestParseAuthorization(t *testing.T) {
	for in, want := range map[string]string{"Bearer abc": "Bearer", "bearer abc": "Bearer", "DPoP abc": "DPoP",
		"dpop abc": "DPoP", "Basic abc": "", "Bearer": "", "DPoP ": "", "Bearer a b": ""} {
		if got, _, _ := oidc.ParseAuthorization(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	if c := oidc.DPoPChallenge(oidc.NewError(oidc.CodeInvalidDPoPProof, `bad "proof"`)); c != `DPoP algs="ES256 ES384 EdDSA RS256 PS256", error="invalid_dpop_proof", error_description="bad 'proof'"` {
		t.Errorf("challenge %s", c)
	}
}
