package api_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"optare/app/api"
)

// snakeCase is the one rule for JSON field names (docs/api.md).
var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// oneSecond is the one timestamp precision: RFC 3339, whole seconds, UTC.
var oneSecond = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// seedNames reads the documented exceptions to the naming rule from
// docs/api.md: the table under "Field names", one "| `Schema` … | `field` |"
// row per guide name kept verbatim. The test and the docs share the list.
func seedNames(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "### Field names")
	if !ok {
		t.Fatal(`docs/api.md has no "### Field names" section`)
	}
	section, _, _ = strings.Cut(section, "\n#")
	row := regexp.MustCompile("(?m)^\\| `([A-Za-z]+)`[^|]*\\| `([A-Za-z_]+)` \\|")
	names := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		names[m[1]+"."+m[2]] = true
	}
	if len(names) == 0 {
		t.Fatal("docs/api.md lists no seed names")
	}
	return names
}

func openAPIDoc(t *testing.T, f *fixture) map[string]any {
	t.Helper()
	return f.mustCall(t, nil, 200, "GET", "/v1/openapi.json", "")
}

// TestJSONFieldNames: every property of every schema in openapi.json, at
// any depth, and every query parameter is snake_case, or is one of the
// guide's names that docs/api.md lists as kept verbatim; each listed name
// is still in use.
func TestJSONFieldNames(t *testing.T) {
	f := newFixture(t)
	doc := openAPIDoc(t, f)
	seed := seedNames(t)
	used := map[string]bool{}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	var walk func(schema, at string, s map[string]any)
	walk = func(schema, at string, s map[string]any) {
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			switch {
			case seed[schema+"."+name]:
				used[schema+"."+name] = true
			case !snakeCase.MatchString(name):
				t.Errorf("%s%s: %q is not snake_case and not a documented seed name", schema, at, name)
			}
			walk(schema, at+"."+name, p.(map[string]any))
		}
		if items, ok := s["items"].(map[string]any); ok {
			walk(schema, at+"[]", items)
		}
	}
	for name, s := range schemas {
		walk(name, "", s.(map[string]any))
	}
	for name := range seed {
		if !used[name] {
			t.Errorf("docs/api.md lists %s, which no schema has", name)
		}
	}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			params, _ := op.(map[string]any)["parameters"].([]any)
			for _, p := range params {
				p := p.(map[string]any)
				if p["in"] != "header" && !snakeCase.MatchString(p["name"].(string)) {
					t.Errorf("%s %s: parameter %q is not snake_case", method, path, p["name"])
				}
			}
		}
	}
}

// schemaCheck validates answers against openapi.json: required properties
// present, no undeclared ones, types and enums as declared, timestamps in
// the one precision.
type schemaCheck struct {
	t       *testing.T
	doc     map[string]any
	schemas map[string]any
}

func (c schemaCheck) resolve(s map[string]any) (string, map[string]any) {
	if r, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(r, "#/components/schemas/")
		return name, c.schemas[name].(map[string]any)
	}
	return "", s
}

// response is the schema of the success answer of method pattern.
func (c schemaCheck) response(method, pattern string, status int) map[string]any {
	op, _ := c.doc["paths"].(map[string]any)[pattern].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if op == nil {
		c.t.Fatalf("%s %s is not in openapi.json", method, pattern)
	}
	res, _ := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	content, _ := res["content"].(map[string]any)["application/json"].(map[string]any)
	if content == nil {
		c.t.Fatalf("%s %s declares no JSON answer for %d", method, pattern, status)
	}
	return content["schema"].(map[string]any)
}

func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	default:
		return "object"
	}
}

func (c schemaCheck) check(s map[string]any, v any, at string) {
	name, s := c.resolve(s)
	if name != "" {
		at += "<" + name + ">"
	}
	var types []string
	switch ty := s["type"].(type) {
	case string:
		types = []string{ty}
	case []any:
		for _, x := range ty {
			types = append(types, x.(string))
		}
	}
	got := jsonType(v)
	if len(types) > 0 && !slices.Contains(types, got) && !(got == "integer" && slices.Contains(types, "number")) {
		c.t.Errorf("%s: %s %v, declared %v", at, got, v, types)
		return
	}
	switch v := v.(type) {
	case map[string]any:
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := v[r.(string)]; !ok {
				c.t.Errorf("%s: required %q missing", at, r)
			}
		}
		props, _ := s["properties"].(map[string]any)
		for k, x := range v {
			if p, ok := props[k].(map[string]any); ok {
				c.check(p, x, at+"."+k)
			} else if ap, ok := s["additionalProperties"].(map[string]any); ok {
				c.check(ap, x, at+"."+k)
			} else if s["additionalProperties"] == false {
				c.t.Errorf("%s: %q is answered but not declared", at, k)
			}
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, x := range v {
				c.check(items, x, fmt.Sprintf("%s[%d]", at, i))
			}
		}
	case string:
		if s["format"] == "date-time" && !oneSecond.MatchString(v) {
			c.t.Errorf("%s: timestamp %q is not RFC 3339 in whole seconds, UTC", at, v)
		}
		if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, any(v)) {
			c.t.Errorf("%s: %q is not in %v", at, v, enum)
		}
	}
}

// TestAnswersMatchOpenAPI drives every kind of answer through the API, on
// a clock with a fractional second, and checks each against the schema
// openapi.json declares for it.
func TestAnswersMatchOpenAPI(t *testing.T) {
	f := newFixture(t)
	f.env.Clock.Advance(1234567891 * time.Nanosecond)
	doc := openAPIDoc(t, f)
	c := schemaCheck{t: t, doc: doc, schemas: doc["components"].(map[string]any)["schemas"].(map[string]any)}
	c.check(obj("OpenAPI"), doc, "openapi.json")
	call := func(status int, method, pattern, path, body string) map[string]any {
		t.Helper()
		out := f.mustCall(t, &f.opKey, status, method, "/v1"+path, body)
		c.check(c.response(method, pattern, status), out, method+" "+path)
		return out
	}
	member := f.member.User.ID
	call(201, "POST", "/products", "/products", `{"name":"Alpha","slug":"alpha","features":["F 1"]}`)
	call(200, "PATCH", "/products/{product}", "/products/alpha", `{"description":"A","machines_per_seat":2}`)
	call(200, "GET", "/products/{product}", "/products/alpha", "")
	call(200, "GET", "/products", "/products", "")
	sub := call(201, "POST", "/subscriptions", "/subscriptions", `{"organization_id":"acme","product_id":"alpha","total_seats":5,"price_per_seat":29.99,"billing_cycle":"monthly","status":"active","end_date":"2030-12-31"}`)["id"].(string)
	call(200, "PATCH", "/subscriptions/{id}", "/subscriptions/"+sub, `{"total_seats":6}`)
	call(200, "GET", "/subscriptions/{id}", "/subscriptions/"+sub, "")
	call(200, "GET", "/subscriptions", "/subscriptions", "")
	call(201, "POST", "/subscriptions/{id}/seats", "/subscriptions/"+sub+"/seats", `{"user_id":"`+member+`"}`)
	call(200, "GET", "/subscriptions/{id}/seats", "/subscriptions/"+sub+"/seats", "")
	call(200, "GET", "/licenses/check", "/licenses/check?product=alpha&user_id="+member, "")
	call(200, "POST", "/licenses/check", "/licenses/check", `{"product":"nope","user_id":"`+member+`"}`)
	call(200, "POST", "/licenses/token", "/licenses/token", `{"product":"alpha","user_id":"`+member+`","fingerprint":"m1"}`)
	lease := call(200, "POST", "/licenses/activate", "/licenses/activate", `{"product":"alpha","user_id":"`+member+`","fingerprint":"m1","name":"Laptop"}`)
	call(200, "POST", "/licenses/heartbeat", "/licenses/heartbeat", `{"activation_id":"`+lease["activation"].(map[string]any)["id"].(string)+`"}`)
	call(200, "GET", "/licenses/activations", "/licenses/activations", "")
	call(201, "POST", "/organizations", "/organizations", `{"name":"Globex"}`)
	call(200, "GET", "/organizations/{org}", "/organizations/globex", "")
	call(200, "GET", "/organizations", "/organizations", "")
	call(200, "PUT", "/organizations/{org}/rate-limit", "/organizations/globex/rate-limit", `{"limit":5000}`)
	user := call(201, "POST", "/users", "/users", `{"email":"hank@globex.test","name":"Hank","organization_id":"globex","role":"member","password":"a long enough password"}`)["id"].(string)
	call(200, "PATCH", "/users/{id}", "/users/"+user, `{"name":"Hank S."}`)
	call(200, "GET", "/users/{id}", "/users/"+user, "")
	call(200, "GET", "/users", "/users", "")
	client := call(201, "POST", "/clients", "/clients", `{"name":"App","redirect_uris":["https://app.example.com/cb"]}`)["id"].(string)
	call(201, "POST", "/clients", "/clients", `{"name":"SPA","redirect_uris":["https://spa.example.com/cb"],"public":true}`)
	call(200, "PATCH", "/clients/{id}", "/clients/"+client, `{"description":"D"}`)
	call(200, "POST", "/clients/{id}/rotate-secret", "/clients/"+client+"/rotate-secret", "")
	call(200, "GET", "/clients/{id}", "/clients/"+client, "")
	call(200, "GET", "/clients", "/clients", "")
	key := call(201, "POST", "/api-keys", "/api-keys", `{"organization_id":"globex","name":"Sync","expires_at":"2030-01-01"}`)["id"].(string)
	call(200, "PUT", "/api-keys/{id}/rate-limit", "/api-keys/"+key+"/rate-limit", `{"limit":500}`)
	call(200, "GET", "/api-keys", "/api-keys", "")
	call(200, "DELETE", "/api-keys/{id}", "/api-keys/"+key, "")
	hook := call(201, "POST", "/webhooks", "/webhooks", `{"organization_id":"acme","url":"https://hooks.example.com/in","events":["seat.assigned"]}`)["id"].(string)
	call(200, "PATCH", "/webhooks/{id}", "/webhooks/"+hook, `{"description":"CRM"}`)
	call(200, "GET", "/webhooks/{id}", "/webhooks/"+hook, "")
	call(200, "GET", "/webhooks", "/webhooks", "")
	call(200, "POST", "/webhooks/{id}/rotate-secret", "/webhooks/"+hook+"/rotate-secret", "")
	delivery := call(201, "POST", "/webhooks/{id}/test", "/webhooks/"+hook+"/test", "")["id"].(string)
	call(200, "GET", "/webhooks/{id}/deliveries", "/webhooks/"+hook+"/deliveries", "")
	call(201, "POST", "/webhooks/{id}/deliveries/{delivery}/replay", "/webhooks/"+hook+"/deliveries/"+delivery+"/replay", "")
	call(200, "GET", "/usage", "/usage?metric=license_checks&period=24h&organization_id=acme", "")
	audit := call(200, "GET", "/audit-logs", "/audit-logs?limit=200", "")
	// Times inside audit details (a rotated webhook secret's end, an API
	// key's expiry) are in the same precision.
	fraction := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+`)
	seen := 0
	for _, e := range audit["audit_logs"].([]any) {
		for k, v := range e.(map[string]any)["details"].(map[string]any) {
			if s, ok := v.(string); ok && strings.Contains(s, "T") && strings.HasSuffix(s, "Z") {
				seen++
				if fraction.MatchString(s) {
					t.Errorf("audit detail %s = %q: not in whole seconds", k, s)
				}
			}
		}
	}
	if seen == 0 {
		t.Error("no timestamp in any audit detail to check")
	}

	// GET /users/me needs a user's access token: the handler is served the
	// actor such a token gives.
	actor, err := f.svc.UserActor(f.ctx, member, "192.0.2.10")
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	api.New(f.svc, nil).ServeAs("GET /users/me", actor).ServeHTTP(rec, httptest.NewRequest("GET", "/users/me", nil))
	var me map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &me); rec.Code != 200 || err != nil {
		t.Fatalf("users/me: %d %v", rec.Code, err)
	}
	c.check(c.response("GET", "/users/me", 200), me, "GET /users/me")
}

func obj(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

// TestOpenAPIResponsesDeclareRequired: every object an answer can hold,
// at any depth, says which of its properties are always there.
func TestOpenAPIResponsesDeclareRequired(t *testing.T) {
	f := newFixture(t)
	doc := openAPIDoc(t, f)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	seen := map[string]bool{}
	var walk func(at string, s map[string]any)
	walk = func(at string, s map[string]any) {
		if r, ok := s["$ref"].(string); ok {
			name := strings.TrimPrefix(r, "#/components/schemas/")
			if seen[name] {
				return
			}
			seen[name] = true
			walk(name, schemas[name].(map[string]any))
			return
		}
		props, _ := s["properties"].(map[string]any)
		if len(props) > 0 && s["required"] == nil {
			t.Errorf("%s: answered object without required", at)
		}
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walk(at+"."+k, props[k].(map[string]any))
		}
		if items, ok := s["items"].(map[string]any); ok {
			walk(at+"[]", items)
		}
	}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			for code, res := range op.(map[string]any)["responses"].(map[string]any) {
				body, _ := res.(map[string]any)["content"].(map[string]any)
				if content, ok := body["application/json"].(map[string]any); ok {
					walk(method+" "+path+" "+code, content["schema"].(map[string]any))
				}
			}
		}
	}
	if len(seen) < 20 {
		t.Fatalf("only %d schemas reached from the answers", len(seen))
	}
}
