package oidc_test

import (
	"crypto/ed25519"
	"crypto/x509"
	"testing"
	"time"

	"optare/app/oidc"
)

// FuzzVerifyLicense: any token and any JWKS give a verdict, never a panic;
// only a token signed by a key of the JWKS can be valid.
func FuzzVerifyLicense(f *testing.F) {
	// A fixed key, not a generated one: under -fuzz every worker process
	// runs this body again, and the seed token made by the coordinator must
	// be the same token the worker compares against (Ed25519 signatures are
	// deterministic, so a fixed key makes the whole seed fixed).
	der, err := x509.MarshalPKCS8PrivateKey(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		f.Fatal(err)
	}
	k, err := oidc.ParsePrivate("fuzz", oidc.AlgEdDSA, der)
	if err != nil {
		f.Fatal(err)
	}
	ks, err := oidc.NewKeySet(k, nil)
	if err != nil {
		f.Fatal(err)
	}
	jwks, _ := ks.JWKS()
	now := time.Unix(1_800_000_000, 0)
	good, err := ks.Sign(oidc.LicenseClaims{Audience: "alpha", IssuedAt: now.Unix(), NotBefore: now.Unix(), Expiry: now.Unix() + 3600, Grace: 60}, oidc.TypeLicense)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, string(jwks))
	f.Add(good[:len(good)-3]+"AAA", string(jwks))
	f.Add("a.b.c", `{"keys":[]}`)
	f.Add("", "")
	f.Add(good, `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]}`)
	f.Fuzz(func(t *testing.T, token, set string) {
		v, _, err := oidc.VerifyLicense(token, []byte(set), "alpha", "", now)
		if (v == oidc.LicenseValid) && (err != nil || token != good || set != string(jwks)) {
			t.Fatalf("verdict %q for a token not signed by the set (%v)", v, err)
		}
	})
}
