package api

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"optare/app"
)

// FuzzDecodeSubscription feeds arbitrary bodies to the JSON decoding of the
// API: it never panics, and every refusal is a 400 naming a field.
func FuzzDecodeSubscription(f *testing.F) {
	for _, s := range []string{
		`{"organization_id":"acme","product_id":"alpha","total_seats":100,"price_per_seat":29.99,"billing_cycle":"monthly","status":"active"}`,
		`{"total_seats":"ten"}`, `{"price_per_seat":{}}`, `{"colour":1}`, `{`, ``, `[]`, `{} {}`, `{"end_date":null}`,
		`{"price_per_seat":1e400}`, `{"auto_assign":"yes"}`, `"text"`, `{"":""}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var in app.SubscriptionInput
		err := decodeJSON(httptest.NewRequest("POST", "/subscriptions", strings.NewReader(body)), &in)
		if err == nil {
			return
		}
		var re *requestError
		if !errors.As(err, &re) || re.field == "" || re.msg == "" {
			t.Fatalf("decode %q: %v is not a field-naming request error", body, err)
		}
	})
}
