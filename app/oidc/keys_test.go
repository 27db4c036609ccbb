package oidc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"sync"
	"testing"
)

// Test keys are generated once per test binary: RSA generation is slow.
var (
	testRSA  = sync.OnceValue(func() Key { return mustGenerate(AlgRS256) })
	testEC   = sync.OnceValue(func() Key { return mustGenerate(AlgES256) })
	testRSA2 = sync.OnceValue(func() Key { return mustGenerate(AlgRS256) })
)

func mustGenerate(alg string) Key {
	k, err := GenerateKey(alg)
	if err != nil {
		panic(err)
	}
	return k
}

func TestGenerateKey(t *testing.T) {
	tests := []struct {
		alg     string
		key     func() Key
		wantErr bool
	}{
		{alg: AlgRS256, key: testRSA},
		{alg: AlgES256, key: testEC},
		{alg: "HS256", wantErr: true},
		{alg: "none", wantErr: true},
		{alg: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.alg, func(t *testing.T) {
			if tt.wantErr {
				if _, err := GenerateKey(tt.alg); err == nil {
					t.Fatal("no error")
				}
				return
			}
			k := tt.key()
			if k.Alg != tt.alg {
				t.Errorf("Alg = %q", k.Alg)
			}
			if err := checkKey(k.Alg, k.Private); err != nil {
				t.Error(err)
			}
			kid, err := Thumbprint(k.Private.Public())
			if err != nil || k.ID != kid || len(kid) != 43 {
				t.Errorf("ID = %q, thumbprint %q, %v", k.ID, kid, err)
			}
		})
	}
}

func TestThumbprintRFC7638(t *testing.T) {
	// RFC 7638 §3.1 example key and thumbprint.
	const n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
	key := &rsa.PublicKey{N: b64Int(t, n), E: 65537}
	got, err := Thumbprint(key)
	if err != nil {
		t.Fatal(err)
	}
	if want := "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"; got != want {
		t.Errorf("Thumbprint() = %q, want %q", got, want)
	}
}

func TestMarshalParsePrivate(t *testing.T) {
	for _, k := range []Key{testRSA(), testEC()} {
		t.Run(k.Alg, func(t *testing.T) {
			data, err := MarshalPrivate(k)
			if err != nil {
				t.Fatal(err)
			}
			block, _ := pem.Decode(data)
			if block == nil || block.Type != "PRIVATE KEY" {
				t.Fatalf("not a PKCS#8 PEM block: %q", data)
			}
			for name, in := range map[string][]byte{"PEM": data, "DER": block.Bytes} {
				got, err := ParsePrivate(k.ID, k.Alg, in)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if got.ID != k.ID || got.Alg != k.Alg {
					t.Errorf("%s: got %s/%s", name, got.ID, got.Alg)
				}
				if eq, ok := got.Private.(interface{ Equal(crypto.PrivateKey) bool }); !ok || !eq.Equal(k.Private) {
					t.Errorf("%s: private key differs", name)
				}
			}
			got, err := ParsePrivate("", k.Alg, data)
			if err != nil || got.ID != k.ID {
				t.Errorf("empty kid: ID = %q, want thumbprint %q (%v)", got.ID, k.ID, err)
			}
		})
	}
}

// TestParsePrivateRSAPrecomputed: the token endpoint signs with the key as
// read back from the database, so that key must carry its CRT values (dP,
// dQ, qInv); without them every RS256 signature would first derive them
// again, or work modulo N instead of modulo p and q.
func TestParsePrivateRSAPrecomputed(t *testing.T) {
	data, err := MarshalPrivate(testRSA())
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParsePrivate("", AlgRS256, data)
	if err != nil {
		t.Fatal(err)
	}
	pre := k.Private.(*rsa.PrivateKey).Precomputed
	if pre.Dp == nil || pre.Dq == nil || pre.Qinv == nil {
		t.Fatalf("parsed RSA key without CRT values: %+v", pre)
	}
}

func TestParsePrivateErrors(t *testing.T) {
	rsaPEM, _ := MarshalPrivate(testRSA())
	ecPEM, _ := MarshalPrivate(testEC())
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	smallDER, _ := x509.MarshalPKCS8PrivateKey(small)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p384DER, _ := x509.MarshalPKCS8PrivateKey(p384)
	ecSEC1, _ := x509.MarshalECPrivateKey(testEC().Private.(*ecdsa.PrivateKey))
	tests := []struct {
		name string
		alg  string
		data []byte
	}{
		{"RSA key for ES256", AlgES256, rsaPEM},
		{"EC key for RS256", AlgRS256, ecPEM},
		{"unknown alg", "PS256", rsaPEM},
		{"RSA 1024", AlgRS256, smallDER},
		{"P-384", AlgES256, p384DER},
		{"SEC1 PEM", AlgES256, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecSEC1})},
		{"garbage", AlgRS256, []byte("not a key")},
		{"empty", AlgRS256, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParsePrivate("k", tt.alg, tt.data); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestMarshalPrivateErrors(t *testing.T) {
	if _, err := MarshalPrivate(Key{ID: "k", Alg: AlgES256, Private: testRSA().Private}); err == nil {
		t.Error("mismatched alg: no error")
	}
	if _, err := MarshalPrivate(Key{ID: "k", Alg: AlgRS256}); err == nil {
		t.Error("nil key: no error")
	}
}
