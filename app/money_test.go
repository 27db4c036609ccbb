package app

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseMoney(t *testing.T) {
	good := map[string]Money{"29.99": 2999, "0": 0, "30": 3000, "30.5": 3050, "0.01": 1, "12345678901.99": 1234567890199}
	for in, want := range good {
		if got, msg := parseMoney(in); msg != "" || got != want {
			t.Errorf("parseMoney(%q) = %d %q, want %d", in, got, msg, want)
		}
	}
	for _, in := range []string{"", "-1", "29.999", "1e3", "1.", ".5", "+1", "1,5", "abc", "123456789012", "0x10", "1.2.3", " 1 2"} {
		if _, msg := parseMoney(in); msg == "" {
			t.Errorf("parseMoney(%q) accepted", in)
		}
	}
}

// FuzzPrice decodes a price the way the API does (a JSON literal into a
// Decimal) and parses it: never a panic, never more than two decimals or a
// negative amount accepted, and an accepted amount prints back to itself.
func FuzzPrice(f *testing.F) {
	for _, s := range []string{`29.99`, `"29.99"`, `29.999`, `-1`, `1e2`, `{}`, `null`, `0.10`, `"  7 "`, `99999999999.99`, `1.0000000000000001`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, literal string) {
		var in struct {
			Price Decimal `json:"price_per_seat"`
		}
		if err := json.Unmarshal([]byte(`{"price_per_seat":`+literal+`}`), &in); err != nil {
			return
		}
		m, msg := parseMoney(string(in.Price))
		if msg != "" {
			return
		}
		s := strings.TrimSpace(string(in.Price))
		if strings.HasPrefix(s, "-") || m < 0 {
			t.Fatalf("accepted negative %q", s)
		}
		if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > 2 {
			t.Fatalf("accepted %q with %d decimals", s, len(frac))
		}
		back, msg := parseMoney(m.String())
		if msg != "" || back != m {
			t.Fatalf("%q → %d → %q → %d", s, m, m.String(), back)
		}
	})
}
