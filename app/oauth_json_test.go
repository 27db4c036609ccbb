package app_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"optare/app"
)

// appender is a hot answer with a hand-written encoder.
type appender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// sameAsJSON fails t unless v.AppendJSON writes what encoding/json and
// EncodeJSON write for v (the OAuth door used encoding/json; neither
// answer holds a time, so the two agree).
func sameAsJSON(t *testing.T, v appender) {
	t.Helper()
	want, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if viaEncode, _ := app.EncodeJSON(v); !bytes.Equal(viaEncode, want) {
		t.Fatalf("EncodeJSON and json.Marshal disagree: %s / %s", viaEncode, want)
	}
	got, err := v.AppendJSON(nil)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON differs from encoding/json (err %v)\n got %s\nwant %s", err, got, want)
	}
}

func randomUserInfo(r *rand.Rand) *app.UserInfo {
	u := &app.UserInfo{Sub: randomString(r), OrganizationID: randomString(r)}
	if r.IntN(2) == 0 {
		u.Email = randomString(r)
	}
	if r.IntN(3) > 0 {
		v := r.IntN(2) == 0
		u.EmailVerified = &v
	}
	if r.IntN(2) == 0 {
		u.Name = randomString(r)
	}
	switch r.IntN(4) {
	case 0:
	case 1:
		u.Products = []app.ProductAccess{}
	default:
		for range 1 + r.IntN(3) {
			u.Products = append(u.Products, app.ProductAccess{ID: randomString(r), Slug: randomString(r), Name: randomString(r),
				Description: randomString(r), Features: randomStrings(r), SubscriptionID: randomString(r), HasSeat: r.IntN(2) == 0})
		}
	}
	return u
}

func randomIntrospection(r *rand.Rand) *app.Introspection {
	opt := func() string {
		if r.IntN(2) == 0 {
			return ""
		}
		return randomString(r)
	}
	num := func() int64 {
		if r.IntN(3) == 0 {
			return 0
		}
		return r.Int64() >> r.IntN(64) * int64(1-2*r.IntN(2))
	}
	in := &app.Introspection{Active: r.IntN(2) == 0, Scope: opt(), ClientID: opt(), Username: opt(), TokenType: opt(),
		Exp: num(), Iat: num(), Sub: opt(), Aud: randomStrings(r), Iss: opt(), JTI: opt(), OrganizationID: opt(), Products: randomStrings(r)}
	if r.IntN(3) == 0 {
		in.Cnf = &app.Confirmation{JKT: randomString(r)}
	}
	return in
}

func TestOAuthAnswersAppendJSONMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 3))
	for range 20000 {
		sameAsJSON(t, randomUserInfo(r))
		sameAsJSON(t, randomIntrospection(r))
	}
	sameAsJSON(t, &app.UserInfo{})
	sameAsJSON(t, &app.Introspection{})
}

func FuzzOAuthAnswersAppendJSON(f *testing.F) {
	f.Add("01JUSER", "a@example.com", "Ann <Admin> & \u2028", "org", "alpha", "export", "openid email", int64(1767225600), uint8(0xff))
	f.Add("", "", "", "", "", "", "", int64(0), uint8(0))
	f.Add("\xff\x00", `"\`, "\t\n", "\x7f", "caf\u00e9", "\U0001F600", "a b", int64(-1), uint8(0x55))
	f.Fuzz(func(t *testing.T, sub, email, name, org, product, feature, scope string, exp int64, shape uint8) {
		verified := shape&2 != 0
		u := &app.UserInfo{Sub: sub, Email: email, Name: name, OrganizationID: org}
		if shape&1 != 0 {
			u.EmailVerified = &verified
		}
		if shape&4 != 0 {
			u.Products = []app.ProductAccess{{ID: product, Slug: feature, Name: name, Features: []string{feature, scope}}}
		}
		sameAsJSON(t, u)
		in := &app.Introspection{Active: shape&8 != 0, Scope: scope, ClientID: sub, Username: email, Exp: exp, Iat: exp / 2,
			Sub: sub, Iss: name, JTI: feature, OrganizationID: org}
		if shape&16 != 0 {
			in.Aud = []string{sub, org}
			in.Products = []string{product}
		}
		if shape&32 != 0 {
			in.Cnf = &app.Confirmation{JKT: feature}
		}
		sameAsJSON(t, in)
	})
}
