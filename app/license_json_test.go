package app_test

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"optare/app"
)

// jsonStrings are the strings the generated licences draw from: plain
// ones and everything encoding/json escapes (quotes, backslashes, HTML,
// control characters, invalid UTF-8, U+2028/2029, multi-byte runes).
var jsonStrings = []string{
	"", "VALID", "NO_SEAT", "alpha", "Alpha & Beta <Pro>", `quote " and \ backslash`,
	"tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f", "caf\u00e9 \u65e5\u672c \U0001F600",
	"line\u2028para\u2029", "bad \xff\xfe utf8 \xc3", "trailing \xe2\x80", "01J0000000000000000000000",
}

func randomString(r *rand.Rand) string {
	if r.IntN(4) > 0 {
		return jsonStrings[r.IntN(len(jsonStrings))]
	}
	b := make([]byte, r.IntN(12))
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return string(b)
}

func randomStrings(r *rand.Rand) []string {
	switch r.IntN(3) {
	case 0:
		return nil
	case 1:
		return []string{}
	}
	list := make([]string, 1+r.IntN(4))
	for i := range list {
		list[i] = randomString(r)
	}
	return list
}

func randomTime(r *rand.Rand) time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("x", 5*3600+1800), time.FixedZone("y", -7*3600)}
	sec := r.Int64N(400_000_000_000) - 100_000_000_000 // years ~ -1200 to 14600
	if r.IntN(2) == 0 {
		sec = r.Int64N(4_000_000_000) // 1970–2096
	}
	return time.Unix(sec, r.Int64N(1e9)).In(zones[r.IntN(len(zones))])
}

func randomLicense(r *rand.Rand) app.License {
	l := app.License{Valid: r.IntN(2) == 0, Code: randomString(r), UserID: randomString(r), Features: randomStrings(r)}
	if r.IntN(3) > 0 {
		l.Product = &app.ProductAccess{ID: randomString(r), Slug: randomString(r), Name: randomString(r),
			Description: randomString(r), Features: randomStrings(r), SubscriptionID: randomString(r), HasSeat: r.IntN(2) == 0}
	}
	if r.IntN(3) > 0 {
		s := &app.LicenseSubscription{ID: randomString(r), Status: randomString(r),
			TotalSeats: r.IntN(1000) - 10, SeatsUsed: int(r.Int64()) >> r.IntN(64)}
		if r.IntN(3) > 0 {
			t := randomTime(r)
			s.EndDate = &t
		}
		l.Subscription = s
	}
	return l
}

// sameAsEncodeJSON fails t unless l.AppendJSON writes what EncodeJSON
// writes, or both refuse l.
func sameAsEncodeJSON(t *testing.T, l app.License) {
	t.Helper()
	want, wantErr := app.EncodeJSON(l)
	got, gotErr := l.AppendJSON(nil)
	if (wantErr != nil) != (gotErr != nil) {
		t.Fatalf("EncodeJSON error %v, AppendJSON error %v, for %#v", wantErr, gotErr, l)
	}
	if wantErr == nil && !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON differs from EncodeJSON\n got %s\nwant %s", got, want)
	}
}

func TestLicenseAppendJSONMatchesEncodeJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2))
	for range 20000 {
		sameAsEncodeJSON(t, randomLicense(r))
	}
	// appending keeps what b held
	l := randomLicense(r)
	want, _ := app.EncodeJSON(l)
	if got, err := l.AppendJSON([]byte("prefix")); err == nil && string(got) != "prefix"+string(want) {
		t.Errorf("AppendJSON lost the prefix: %s", got)
	}
}

func FuzzLicenseAppendJSON(f *testing.F) {
	f.Add(true, "VALID", "u1", "p1", "alpha", "Alpha", "export", "s1", "active", int64(1767225600), int64(999), 10, 3, uint8(0xff))
	f.Add(false, "NO_SUBSCRIPTION", "", "", "", "", "", "", "", int64(0), int64(0), 0, 0, uint8(0))
	f.Add(false, "<&>\u2028", "\xff", "\x00", `"\`, "caf\u00e9", "\t", "\x7f", "\U0001F600", int64(-62167219201), int64(1), -1, -5, uint8(0x0f))
	f.Add(true, "VALID", "u", "p", "s", "n", "f", "s", "trial", int64(253402300800), int64(0), 1, 1, uint8(0x07))
	f.Fuzz(func(t *testing.T, valid bool, code, user, pid, slug, name, feature, sid, status string, endSec, endNsec int64, seats, used int, shape uint8) {
		l := app.License{Valid: valid, Code: code, UserID: user}
		features := func(bit uint8) []string {
			switch {
			case shape&bit == 0:
				return nil
			case feature == "":
				return []string{}
			}
			return []string{feature, code}
		}
		l.Features = features(0x10)
		if shape&1 != 0 {
			l.Product = &app.ProductAccess{ID: pid, Slug: slug, Name: name, Features: features(0x20)}
		}
		if shape&2 != 0 {
			l.Subscription = &app.LicenseSubscription{ID: sid, Status: status, TotalSeats: seats, SeatsUsed: used}
			if shape&4 != 0 {
				end := time.Unix(endSec, endNsec%1e9).In(time.FixedZone("z", int(endNsec%86400)))
				l.Subscription.EndDate = &end
			}
		}
		sameAsEncodeJSON(t, l)
	})
}
