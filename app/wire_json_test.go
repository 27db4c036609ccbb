package app_test

import (
	"encoding/json"
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

// BenchmarkEncodeJSON: the cost of the one precision on the hottest
// answer, a valid license check, against plain json.Marshal.
func BenchmarkEncodeJSON(b *testing.B) {
	end := time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)
	lic := app.License{Valid: true, Code: "VALID", UserID: "user_1", Features: []string{"F 1", "F 2"},
		Product:      &app.ProductAccess{ID: "prod_1", Slug: "alpha", Name: "Alpha", Features: []string{"F 1", "F 2"}},
		Subscription: &app.LicenseSubscription{ID: "sub_1", Status: "active", EndDate: &end, TotalSeats: 5, SeatsUsed: 1}}
	b.Run("json.Marshal", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(lic)
		}
	})
	b.Run("EncodeJSON", func(b *testing.B) {
		for b.Loop() {
			app.EncodeJSON(lic)
		}
	})
}
