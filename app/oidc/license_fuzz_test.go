package oidc_test

import (
	"testing"
	"time"

	"optare/app/oidc"
)

// FuzzVerifyLicense: any token and any JWKS give a verdict, never a panic;
// only a token signed by a key of the JWKS can be valid.
func FuzzVerifyLicense(f *testing.F) {
	k, err := oidc.GenerateKey(oidc.AlgEdDSA)
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
