package oidc

import (
	"strings"
	"testing"
)

func TestUserCode(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := NewUserCode()
		if len(c) != 9 || c[4] != '-' {
			t.Fatalf("user code %q is not XXXX-XXXX", c)
		}
		n, err := NormalizeUserCode(c)
		if err != nil || FormatUserCode(n) != c {
			t.Fatalf("normalize %q = %q, %v", c, n, err)
		}
		seen[c] = true
	}
	if len(seen) < 195 {
		t.Errorf("only %d distinct codes in 200", len(seen))
	}
	for in, want := range map[string]string{"wdjb-mjht": "", "CDFG-HJKM": "CDFGHJKM", "cdfghjkm": "CDFGHJKM",
		" cdfg hjkm ": "CDFGHJKM", "CDFG-HJK": "", "CDFG-HJKMN": "", "CD0G-HJKM": "", "": ""} {
		got, err := NormalizeUserCode(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("NormalizeUserCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func FuzzNormalizeUserCode(f *testing.F) {
	for _, s := range []string{"CDFG-HJKM", "cdfghjkm", "", "----", "ÄÖÜ", strings.Repeat("C", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeUserCode(s)
		if err != nil {
			return
		}
		if len(n) != userCodeLength || strings.Trim(n, userCodeAlphabet) != "" {
			t.Fatalf("NormalizeUserCode(%q) = %q", s, n)
		}
		if again, err := NormalizeUserCode(FormatUserCode(n)); err != nil || again != n {
			t.Fatalf("round trip of %q: %q %v", n, again, err)
		}
	})
}
