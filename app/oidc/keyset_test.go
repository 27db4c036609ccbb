package oidc

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"
)

func b64Int(t testing.TB, s string) *big.Int {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return new(big.Int).SetBytes(b)
}

type testClaims struct {
	Iss   string   `json:"iss"`
	Sub   string   `json:"sub"`
	Aud   []string `json:"aud"`
	Exp   int64    `json:"exp"`
	Scope string   `json:"scope,omitempty"`
}

func mustKeySet(t testing.TB, signing Key, published ...Key) *KeySet {
	t.Helper()
	ks, err := NewKeySet(signing, published)
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func TestJWKS(t *testing.T) {
	ks := mustKeySet(t, testRSA(), testEC())
	data, err := ks.JWKS()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Keys) != 2 {
		t.Fatalf("%d keys, want 2: %s", len(doc.Keys), data)
	}
	rsaPub := testRSA().Private.Public().(*rsa.PublicKey)
	point, err := testEC().Private.Public().(*ecdsa.PublicKey).Bytes() // 0x04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{
			"kty": "RSA", "kid": testRSA().ID, "use": "sig", "alg": "RS256",
			"n": base64.RawURLEncoding.EncodeToString(rsaPub.N.Bytes()), "e": "AQAB",
		},
		{
			"kty": "EC", "kid": testEC().ID, "use": "sig", "alg": "ES256", "crv": "P-256",
			"x": base64.RawURLEncoding.EncodeToString(point[1:33]),
			"y": base64.RawURLEncoding.EncodeToString(point[33:65]),
		},
	}
	if diff := cmp.Diff(want, doc.Keys); diff != "" {
		t.Errorf("JWKS (-want +got):\n%s", diff)
	}
	for _, private := range []string{`"d"`, `"p"`, `"q"`, `"dp"`} {
		if strings.Contains(string(data), private+":") {
			t.Errorf("JWKS leaks private member %s: %s", private, data)
		}
	}
}

func TestNewKeySetErrors(t *testing.T) {
	rsaKey := testRSA()
	tests := []struct {
		name      string
		signing   Key
		published []Key
	}{
		{"duplicate kid", rsaKey, []Key{testEC(), {ID: testEC().ID, Alg: AlgES256, Private: testEC().Private}}},
		{"same kid, other key", rsaKey, []Key{{ID: rsaKey.ID, Alg: AlgRS256, Private: testRSA2().Private}}},
		{"empty kid", Key{Alg: AlgRS256, Private: rsaKey.Private}, nil},
		{"alg mismatch", Key{ID: "k", Alg: AlgES256, Private: rsaKey.Private}, nil},
		{"published without key", rsaKey, []Key{{ID: "k", Alg: AlgRS256}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewKeySet(tt.signing, tt.published); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestSignVerify(t *testing.T) {
	claims := testClaims{Iss: "https://id.example", Sub: "user_1", Aud: []string{"client_1"}, Exp: 2000000000, Scope: "openid"}
	for _, k := range []Key{testRSA(), testEC()} {
		t.Run(k.Alg, func(t *testing.T) {
			ks := mustKeySet(t, k)
			if ks.SigningKeyID() != k.ID || ks.SigningAlg() != k.Alg {
				t.Errorf("signing key %s/%s", ks.SigningKeyID(), ks.SigningAlg())
			}
			for _, typ := range []string{TypeAccessToken, TypeJWT, "logout+jwt", ""} {
				token, err := ks.Sign(claims, typ)
				if err != nil {
					t.Fatal(err)
				}
				header := decodeHeader(t, token)
				wantHeader := map[string]string{"alg": k.Alg, "kid": k.ID}
				if typ != "" {
					wantHeader["typ"] = typ
				}
				if diff := cmp.Diff(wantHeader, header); diff != "" {
					t.Errorf("typ %q header (-want +got):\n%s", typ, diff)
				}
				var got testClaims
				if err := ks.Verify(token, &got); err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if diff := cmp.Diff(claims, got); diff != "" {
					t.Errorf("claims (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func decodeHeader(t *testing.T, token string) map[string]string {
	t.Helper()
	raw, _, _ := strings.Cut(token, ".")
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]string
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestVerifyType(t *testing.T) {
	ks := mustKeySet(t, testEC())
	at, _ := ks.Sign(testClaims{Sub: "u"}, TypeAccessToken)
	id, _ := ks.Sign(testClaims{Sub: "u"}, TypeJWT)
	tests := []struct {
		name    string
		token   string
		typ     string
		wantErr error
	}{
		{"access token", at, TypeAccessToken, nil},
		{"media type form", at, "application/at+jwt", nil},
		{"case-insensitive", at, "AT+JWT", nil},
		{"ID token is not an access token", id, TypeAccessToken, ErrWrongType},
		{"access token is not an ID token", at, TypeJWT, ErrWrongType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c testClaims
			err := ks.VerifyType(tt.token, tt.typ, &c)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("VerifyType() = %v, want %v", err, tt.wantErr)
			}
			if err == nil && c.Sub != "u" {
				t.Errorf("claims %+v", c)
			}
		})
	}
}

func TestVerifyRotation(t *testing.T) {
	oldKey, newKey := testRSA(), testEC()
	before := mustKeySet(t, oldKey, newKey) // newKey published as next
	token, err := before.Sign(testClaims{Sub: "u"}, TypeAccessToken)
	if err != nil {
		t.Fatal(err)
	}
	after := mustKeySet(t, newKey, oldKey) // oldKey retired, still published
	var c testClaims
	if err := after.Verify(token, &c); err != nil {
		t.Errorf("token of the retired key: %v", err)
	}
	fresh, _ := after.Sign(testClaims{Sub: "u"}, TypeAccessToken)
	if err := before.Verify(fresh, &c); err != nil {
		t.Errorf("token of the next key before promotion: %v", err)
	}
	gone := mustKeySet(t, newKey)
	if err := gone.Verify(token, &c); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("token of an unpublished key: %v, want ErrUnknownKey", err)
	}
}

func TestVerifyRejects(t *testing.T) {
	ks := mustKeySet(t, testRSA(), testEC())
	good, _ := ks.Sign(testClaims{Sub: "u"}, TypeJWT)
	parts := strings.Split(good, ".")
	enc := base64.RawURLEncoding.EncodeToString
	header := func(h string) string { return enc([]byte(h)) }
	payload := enc([]byte(`{"sub":"admin"}`))

	otherSet := mustKeySet(t, Key{ID: testRSA().ID, Alg: AlgRS256, Private: testRSA2().Private})
	forged, _ := otherSet.Sign(testClaims{Sub: "admin"}, TypeJWT)

	hmac, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: jose.JSONWebKey{
		Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: testRSA().ID,
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs, _ := hmac.Sign([]byte(`{"sub":"admin"}`))
	hsToken, _ := hs.CompactSerialize()

	// A header claiming ES256 for the RSA kid.
	ecSig, _ := mustKeySet(t, Key{ID: testRSA().ID + "x", Alg: AlgES256, Private: testEC().Private}).Sign(testClaims{Sub: "admin"}, "")
	ecParts := strings.Split(ecSig, ".")
	algSwap := header(`{"alg":"ES256","kid":"`+testRSA().ID+`"}`) + "." + ecParts[1] + "." + ecParts[2]

	tests := []struct {
		name    string
		token   string
		wantErr error
	}{
		{"empty", "", ErrMalformedToken},
		{"garbage", "not.a.jwt", ErrMalformedToken},
		{"two parts", parts[0] + "." + parts[1], ErrMalformedToken},
		{"alg none", header(`{"alg":"none","kid":"`+testRSA().ID+`"}`) + "." + payload + ".", ErrMalformedToken},
		{"HS256 with public key as secret", hsToken, ErrMalformedToken},
		{"tampered payload", parts[0] + "." + payload + "." + parts[2], ErrBadSignature},
		{"tampered signature", parts[0] + "." + parts[1] + "." + enc([]byte("xx")), ErrBadSignature},
		{"signed by another key with the same kid", forged, ErrBadSignature},
		{"no kid", header(`{"alg":"RS256"}`) + "." + parts[1] + "." + parts[2], ErrUnknownKey},
		{"unknown kid", header(`{"alg":"RS256","kid":"nope"}`) + "." + parts[1] + "." + parts[2], ErrUnknownKey},
		{"alg does not match key", algSwap, ErrBadSignature},
		{"too long", strings.Repeat("a", maxTokenLength+1), ErrMalformedToken},
		{"JSON serialization", `{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`, ErrMalformedToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c testClaims
			err := ks.Verify(tt.token, &c)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Verify() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestVerifyOnlySet(t *testing.T) {
	ks := mustKeySet(t, Key{}, testRSA())
	if _, err := ks.Sign(testClaims{}, TypeJWT); !errors.Is(err, ErrNoSigningKey) {
		t.Errorf("Sign without signing key: %v", err)
	}
	token, _ := mustKeySet(t, testRSA()).Sign(testClaims{Sub: "u"}, TypeJWT)
	var c testClaims
	if err := ks.Verify(token, &c); err != nil || c.Sub != "u" {
		t.Errorf("Verify: %v, %+v", err, c)
	}
}

func TestSignBadClaims(t *testing.T) {
	ks := mustKeySet(t, testEC())
	if _, err := ks.Sign(map[string]any{"f": func() {}}, TypeJWT); err == nil {
		t.Error("no error for unencodable claims")
	}
}

func TestSignConcurrent(t *testing.T) {
	ks := mustKeySet(t, testEC())
	done := make(chan error)
	for i := range 8 {
		go func() {
			_, err := ks.Sign(testClaims{Sub: "u"}, []string{"a", "b", TypeJWT}[i%3])
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func FuzzVerify(f *testing.F) {
	ks, err := NewKeySet(testEC(), []Key{{ID: "rsa", Alg: AlgRS256, Private: testRSA().Private}})
	if err != nil {
		f.Fatal(err)
	}
	good, _ := ks.Sign(testClaims{Sub: "u"}, TypeAccessToken)
	f.Add(good)
	f.Add("")
	f.Add("...")
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYSJ9.e30.AAAA")
	f.Add(`{"payload":"e30","signatures":[]}`)
	f.Add(good[:len(good)-3])
	f.Fuzz(func(t *testing.T, token string) {
		var c map[string]any
		err := ks.Verify(token, &c)
		if err == nil && token != good {
			// Only a token this key set signed may verify; the fuzzer
			// cannot forge one, but a re-encoding of good could pass.
			var again map[string]any
			if ks.Verify(good, &again) != nil {
				t.Fatalf("accepted %q", token)
			}
		}
		_ = ks.VerifyType(token, TypeAccessToken, &c)
	})
}

func BenchmarkSignRS256(b *testing.B) { benchmarkSign(b, testRSA()) }
func BenchmarkSignES256(b *testing.B) { benchmarkSign(b, testEC()) }

func benchmarkSign(b *testing.B, k Key) {
	ks := mustKeySet(b, k)
	claims := testClaims{Iss: "https://id.example", Sub: "user_1", Aud: []string{"client_1"}, Exp: 2000000000, Scope: "openid email"}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := ks.Sign(claims, TypeAccessToken); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the process's CPU time, for a cpu-ns/op figure comparable
// with the endpoints' (apptest.CPUPerOp, which this package cannot import).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkVerifyRS256(b *testing.B) {
	ks := mustKeySet(b, testRSA())
	token, err := ks.Sign(testClaims{Sub: "user_1", Exp: 2000000000}, TypeAccessToken)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var c testClaims
		if err := ks.Verify(token, &c); err != nil {
			b.Fatal(err)
		}
	}
}
