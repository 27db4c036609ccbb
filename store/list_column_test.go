package store

import (
	"slices"
	"testing"
)

// TestListColumn: a list survives the column, none is "[]" and reads back
// empty (never nil), and a malformed column is an error, not an empty list.
func TestListColumn(t *testing.T) {
	for _, in := range [][]string{nil, {}, {"a"}, {"SSO", "Reports, \"beta\"", "ünï"}} {
		got, err := decodeList(encodeList(in))
		if err != nil || got == nil || !slices.Equal(got, append([]string{}, in...)) {
			t.Errorf("%q: got %q, %v", in, got, err)
		}
	}
	if encodeList(nil) != "[]" {
		t.Errorf("no items: %q", encodeList(nil))
	}
	if got, err := decodeList("null"); err != nil || got == nil || len(got) != 0 {
		t.Errorf("null: %q, %v", got, err)
	}
	if _, err := decodeList(`["a",`); err == nil {
		t.Error("a malformed column read as a list")
	}
}
