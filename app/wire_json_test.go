package app_test

import (
	"strings"
	"testing"
	"time"

	"optare/app"
)

// TestEncodeJSONOneTimePrecision: every time.Time, however deep, comes out
// as RFC 3339 whole seconds in UTC, and the value encoded is left as it was.
func TestEncodeJSONOneTimePrecision(t *testing.T) {
	zone := time.FixedZone("CET", 3600)
	at := time.Date(2026, 1, 15, 10, 0, 1, 234567891, zone)
	type inner struct {
		At    *time.Time `json:"at"`
		Never *time.Time `json:"never"`
	}
	type outer struct {
		Created time.Time      `json:"created_at"`
		Items   []inner        `json:"items"`
		ByName  map[string]any `json:"by_name"`
		Raw     []byte         `json:"raw"`
		hidden  time.Time
	}
	v := &outer{Created: at, Items: []inner{{At: &at}}, ByName: map[string]any{"t": at, "n": 1}, Raw: []byte("x"), hidden: at}
	b, err := app.EncodeJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"created_at":"2026-01-15T09:00:01Z","items":[{"at":"2026-01-15T09:00:01Z","never":null}],"by_name":{"n":1,"t":"2026-01-15T09:00:01Z"},"raw":"eA=="}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	if !v.Created.Equal(at) || v.Created.Location() != zone || *v.Items[0].At != at || v.ByName["t"] != at || v.hidden != at {
		t.Error("the encoded value was changed")
	}
	if b, _ := app.EncodeJSON(map[string]int{"a": 1}); string(b) != `{"a":1}` {
		t.Errorf("a value without times: %s", b)
	}
	if b, _ := app.EncodeJSON(nil); strings.TrimSpace(string(b)) != "null" {
		t.Errorf("nil: %s", b)
	}
}
