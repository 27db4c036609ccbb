package oidc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

func signedAssertion(t testing.TB, key *ecdsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := jws.CompactSerialize()
	return out
}

// FuzzVerifyClientAssertion: no input makes the verifier panic or accept
// something not signed by the registered key.
func FuzzVerifyClientAssertion(f *testing.F) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	keys := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey}}}
	now := time.Unix(1_800_000_000, 0)
	good := signedAssertion(f, key, map[string]any{"iss": "c", "sub": "c", "aud": "https://id", "jti": "j", "exp": now.Unix() + 60})
	if _, err := VerifyClientAssertion(good, keys, "c", []string{"https://id"}, now); err != nil {
		f.Fatalf("good assertion refused: %v", err)
	}
	for _, s := range []string{good, good[:len(good)-3], "a.b.c", "", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJjIn0.", "...."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		_, _ = AssertionSubject(raw)
		a, err := VerifyClientAssertion(raw, keys, "c", []string{"https://id"}, now)
		if err == nil && (a.JTI == "" || raw != good && len(raw) < 20) {
			t.Fatalf("accepted %q", raw)
		}
	})
}

// FuzzParseJWKS: a registered key set is public keys only, whatever the input.
func FuzzParseJWKS(f *testing.F) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pub, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, Use: "sig"}}})
	priv, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key}}})
	for _, s := range [][]byte{pub, priv, []byte(`{"keys":[]}`), []byte(`{}`), []byte(`[]`)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := ParseJWKS(data)
		if err != nil {
			return
		}
		for _, k := range set.Keys {
			if !k.IsPublic() {
				t.Fatal("private key accepted")
			}
		}
	})
}
