package oidc_test

import (
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"optare/app/oidc"
)

// FuzzVerifyDPoPProof: any header value gives a verdict, never a panic;
// a proof that verifies names this request, lies within the iat window
// and has a key thumbprint. The seeds (a good proof and broken ones) run
// in plain go test.
func FuzzVerifyDPoPProof(f *testing.F) {
	k := newProofKey(f, jose.ES256, 0)
	good := k.sign(f, proofClaims(nil), "dpop+jwt", true, nil)
	f.Add(good)
	f.Add(good[:len(good)-5])
	f.Add(k.sign(f, proofClaims(map[string]any{"htm": "POST"}), "dpop+jwt", true, nil))
	f.Add(k.sign(f, proofClaims(map[string]any{"iat": "soon"}), "dpop+jwt", true, nil))
	f.Add(k.sign(f, proofClaims(map[string]any{"iat": 1e300}), "dpop+jwt", true, nil))
	f.Add(newProofKey(f, jose.EdDSA, 0).sign(f, proofClaims(nil), "dpop+jwt", true, nil))
	f.Add("eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7fX0.e30.AAAA")
	f.Add("eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6Im5vbmUifQ.eyJqdGkiOiJ4In0.")
	f.Add("")
	f.Add("...")
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := oidc.VerifyDPoPProof(raw, proofCheck)
		if err != nil {
			return
		}
		if p.JKT == "" || p.JTI == "" {
			t.Fatalf("verified proof without key or jti: %+v", p)
		}
		if d := proofNow.Sub(p.IssuedAt); d > oidc.DPoPWindow || d < -oidc.DPoPWindow {
			t.Fatalf("verified proof with iat %v", p.IssuedAt)
		}
		if !p.ReplayUntil().After(proofNow) {
			t.Fatalf("jti forgotten before the proof expires")
		}
	})
}

// BenchmarkVerifyDPoPProof is the cost of checking one proof per key type
// (parse, signature, claims, thumbprint), without the jti write. Run
// with -cpu 1.
func BenchmarkVerifyDPoPProof(b *testing.B) {
	for _, alg := range []jose.SignatureAlgorithm{jose.ES256, jose.EdDSA, jose.RS256} {
		k := newProofKey(b, alg, 2048)
		proof := k.sign(b, proofClaims(nil), "dpop+jwt", true, nil)
		b.Run(string(alg), func(b *testing.B) {
			for b.Loop() {
				if _, err := oidc.VerifyDPoPProof(proof, proofCheck); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
