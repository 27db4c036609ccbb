package api_test

import (
	"strings"
	"testing"
)

// TestRequestEdges: a body over 1 MiB is 413 in the JSON error shape, a
// garbage cursor is 400 naming it, a wrong method is 405 with Allow, and
// {"":""} names the body.
func TestRequestEdges(t *testing.T) {
	f := newFixture(t)
	big := `{"name":"` + strings.Repeat("x", 1<<20+10) + `"}`
	rec, out := f.call(t, &f.opKey, "POST", "/v1/products", big)
	if rec.Code != 413 || out["error"] == nil || out["error_description"] == nil {
		t.Errorf("big body: %d %v", rec.Code, out)
	}
	for _, path := range []string{"/v1/products?cursor=%ff%00garbage", "/v1/subscriptions?cursor=zzz", "/v1/audit-logs?cursor=-4", "/v1/users?cursor=nope", "/v1/organizations?cursor=nope", "/v1/api-keys?cursor=nope"} {
		rec, out := f.call(t, &f.opKey, "GET", path, "")
		if rec.Code != 400 || fieldsOf(out)["cursor"] == nil {
			t.Errorf("%s: %d %v", path, rec.Code, out)
		}
	}
	rec, out = f.call(t, &f.opKey, "DELETE", "/v1/products", "")
	if rec.Code != 405 || !strings.Contains(rec.Header().Get("Allow"), "GET") || out["error"] == nil {
		t.Errorf("wrong method: %d %v %v", rec.Code, rec.Header(), out)
	}
	rec, out = f.call(t, &f.opKey, "POST", "/v1/products", `{"":""}`)
	if rec.Code != 400 || fieldsOf(out)["body"] == nil {
		t.Errorf(`{"":""}: %d %v`, rec.Code, out)
	}
}

// TestOpenAPIRateHeaders: every operation's success answer declares the
// RateLimit-* headers and its 429 also Retry-After.
func TestOpenAPIRateHeaders(t *testing.T) {
	f := newFixture(t)
	doc := f.mustCall(t, nil, 200, "GET", "/v1/openapi.json", "")
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			responses := op.(map[string]any)["responses"].(map[string]any)
			for code, res := range responses {
				h, _ := res.(map[string]any)["headers"].(map[string]any)
				if code[0] == '2' && h["RateLimit-Remaining"] == nil {
					t.Errorf("%s %s %s: no RateLimit headers", method, path, code)
				}
				if code == "429" && h["Retry-After"] == nil {
					t.Errorf("%s %s: 429 without Retry-After", method, path)
				}
			}
		}
	}
}
