package store

import "testing"

func TestDollarPlaceholders(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"},
		{"SELECT ?2, ?1, ?2", "SELECT $2, $1, $2"},
		{"SELECT '?', \"a?\", ? -- why?\n, ?", "SELECT '?', \"a?\", $1 -- why?\n, $2"},
		{"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
		{"SELECT ? -- trailing ?", "SELECT $1 -- trailing ?"},
		{"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
	} {
		if got := dollarPlaceholders(c.in); got != c.want {
			t.Errorf("dollarPlaceholders(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzDollarPlaceholders(f *testing.F) {
	for _, s := range []string{"SELECT ?", "'?'", "?1 ?2", "-- ?\n?", `"?"`, "'a''?'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := dollarPlaceholders(s)
		// Text without placeholders comes back unchanged.
		for i := 0; i < len(s); i++ {
			if s[i] == '?' {
				return
			}
		}
		if out != s {
			t.Errorf("%q changed to %q", s, out)
		}
	})
}
