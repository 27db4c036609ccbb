package api_test

import (
	"testing"
)

// TestBadInput sends every kind of bad input to the routes that take it:
// each is refused with the shared error shape naming the field, and nothing
// is written (no audit entry, which every write records).
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	prodID := f.product(t, "alpha")
	f.product(t, "beta")
	subID := f.subscription(t, "alpha", 3, "")
	cancelled := f.subscription(t, "beta", 3, "")
	f.mustCall(t, &f.opKey, 200, "PATCH", "/v1/subscriptions/"+cancelled, `{"status":"cancelled"}`)
	for _, u := range []string{f.admin.User.ID, f.member.User.ID} {
		f.mustCall(t, &f.opKey, 201, "POST", "/v1/subscriptions/"+subID+"/seats", `{"user_id":"`+u+`"}`)
	}
	tests := []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"malformed JSON", "POST", "/v1/products", `{"name": "x",`, 400, "invalid_request", "body"},
		{"not JSON", "POST", "/v1/products", `name=x`, 400, "invalid_request", "body"},
		{"empty body", "POST", "/v1/products", ``, 400, "invalid_request", "body"},
		{"trailing data", "POST", "/v1/products", `{"name":"A","slug":"aa"} {}`, 400, "invalid_request", "body"},
		{"unknown field", "POST", "/v1/products", `{"name":"A","slug":"aa","colour":"red"}`, 400, "invalid_request", "colour"},
		{"features wrong type", "POST", "/v1/products", `{"name":"A","slug":"aa","features":"one"}`, 400, "invalid_request", "features"},
		{"name wrong type", "POST", "/v1/products", `{"name":5,"slug":"aa"}`, 400, "invalid_request", "name"},
		{"empty name", "POST", "/v1/products", `{"name":"  ","slug":"aa"}`, 422, "validation_error", "name"},
		{"bad slug", "POST", "/v1/products", `{"name":"A","slug":"Bad Slug"}`, 422, "validation_error", "slug"},
		{"short slug", "POST", "/v1/products", `{"name":"A","slug":"a"}`, 422, "validation_error", "slug"},
		{"duplicate slug", "POST", "/v1/products", `{"name":"A","slug":"alpha"}`, 409, "slug_taken", "slug"},
		{"slug change", "PATCH", "/v1/products/alpha", `{"slug":"gamma"}`, 422, "validation_error", "slug"},
		{"empty name on patch", "PATCH", "/v1/products/" + prodID, `{"name":""}`, 422, "validation_error", "name"},
		{"unknown product patch", "PATCH", "/v1/products/nope", `{"name":"x"}`, 404, "not_found", ""},
		{"seats wrong type", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":"ten","billing_cycle":"monthly"}`, 400, "invalid_request", "total_seats"},
		{"zero seats", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":0,"billing_cycle":"monthly"}`, 422, "validation_error", "total_seats"},
		{"negative seats", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":-4,"billing_cycle":"monthly"}`, 422, "validation_error", "total_seats"},
		{"fractional seats", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":1.5,"billing_cycle":"monthly"}`, 400, "invalid_request", "total_seats"},
		{"price three decimals", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":5,"price_per_seat":29.999,"billing_cycle":"monthly"}`, 422, "validation_error", "price_per_seat"},
		{"negative price", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":5,"price_per_seat":-1,"billing_cycle":"monthly"}`, 422, "validation_error", "price_per_seat"},
		{"exponent price", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":5,"price_per_seat":1e3,"billing_cycle":"monthly"}`, 422, "validation_error", "price_per_seat"},
		{"price object", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":5,"price_per_seat":{},"billing_cycle":"monthly"}`, 400, "invalid_request", "price_per_seat"},
		{"unknown cycle", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":5,"billing_cycle":"weekly"}`, 422, "validation_error", "billing_cycle"},
		{"unknown status", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":5,"billing_cycle":"monthly","status":"paused"}`, 422, "validation_error", "status"},
		{"bad date", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":5,"billing_cycle":"monthly","end_date":"31/12/2025"}`, 422, "validation_error", "end_date"},
		{"past end for active", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"beta","total_seats":5,"billing_cycle":"monthly","end_date":"2020-01-01"}`, 422, "validation_error", "end_date"},
		{"unknown organization", "POST", "/v1/subscriptions", `{"organization_id":"org_nope","product_id":"beta","total_seats":5,"billing_cycle":"monthly"}`, 404, "not_found", "organization_id"},
		{"unknown product", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"nope","total_seats":5,"billing_cycle":"monthly"}`, 404, "not_found", "product_id"},
		{"second live subscription", "POST", "/v1/subscriptions", `{"organization_id":"acme","product_id":"alpha","total_seats":5,"billing_cycle":"monthly"}`, 409, "subscription_exists", ""},
		{"seats below in use", "PATCH", "/v1/subscriptions/" + subID, `{"total_seats":1}`, 409, "seats_in_use", "total_seats"},
		{"illegal transition", "PATCH", "/v1/subscriptions/" + cancelled, `{"status":"trial"}`, 409, "invalid_transition", "status"},
		{"unknown status patch", "PATCH", "/v1/subscriptions/" + subID, `{"status":"paused"}`, 422, "validation_error", "status"},
		{"bad date patch", "PATCH", "/v1/subscriptions/" + subID, `{"end_date":"tomorrow"}`, 422, "validation_error", "end_date"},
		{"unknown field patch", "PATCH", "/v1/subscriptions/" + subID, `{"organization_id":"x"}`, 400, "invalid_request", "organization_id"},
		{"unknown subscription", "PATCH", "/v1/subscriptions/sub_nope", `{"total_seats":3}`, 404, "not_found", ""},
		{"seat for stranger", "POST", "/v1/subscriptions/" + subID + "/seats", `{"user_id":"` + f.op.User.ID + `"}`, 422, "validation_error", "user_id"},
		{"seat no user", "POST", "/v1/subscriptions/" + subID + "/seats", `{}`, 422, "validation_error", "user_id"},
		{"seat in cancelled subscription", "POST", "/v1/subscriptions/" + cancelled + "/seats", `{"user_id":"` + f.admin.User.ID + `"}`, 409, "subscription_not_live", ""},
		{"empty org name", "POST", "/v1/organizations", `{"name":""}`, 422, "validation_error", "name"},
		{"bad org slug", "POST", "/v1/organizations", `{"name":"Globex","slug":"-x-"}`, 422, "validation_error", "slug"},
		{"duplicate org slug", "POST", "/v1/organizations", `{"name":"Acme"}`, 409, "slug_taken", "slug"},
		{"bad email", "POST", "/v1/users", `{"email":"nope","name":"N","organization_id":"acme","password":"correct-horse-battery"}`, 422, "validation_error", "email"},
		{"user unknown org", "POST", "/v1/users", `{"email":"n@x.test","name":"N","organization_id":"nope","password":"correct-horse-battery"}`, 404, "not_found", ""},
		{"user disabled wrong type", "PATCH", "/v1/users/" + f.member.User.ID, `{"disabled":"yes"}`, 400, "invalid_request", "disabled"},
		{"key bad env", "POST", "/v1/api-keys", `{"organization_id":"acme","name":"k","environment":"prod"}`, 422, "validation_error", "environment"},
		{"key past expiry", "POST", "/v1/api-keys", `{"organization_id":"acme","name":"k","expires_at":"2001-01-01"}`, 422, "validation_error", "expires_at"},
		{"license without product", "GET", "/v1/licenses/check?user_id=" + f.member.User.ID, "", 422, "validation_error", "product"},
		{"license without user", "GET", "/v1/licenses/check?product=alpha", "", 422, "validation_error", "user_id"},
		{"license unknown field", "POST", "/v1/licenses/check", `{"product":"alpha","user":"x"}`, 400, "invalid_request", "user"},
		{"license malformed", "POST", "/v1/licenses/check", `{"product":`, 400, "invalid_request", "body"},
		{"license two objects", "POST", "/v1/licenses/check", `{"product":"alpha"}{"product":"alpha"}`, 400, "invalid_request", "body"},
		{"licence token unknown field", "POST", "/v1/licenses/token", `{"product":"alpha","colour":1}`, 400, "invalid_request", "colour"},
		{"licence token without product", "POST", "/v1/licenses/token", `{"user_id":"` + f.member.User.ID + `"}`, 422, "validation_error", "product"},
		{"activate malformed", "POST", "/v1/licenses/activate", `{"product":`, 400, "invalid_request", "body"},
		{"activate without fingerprint", "POST", "/v1/licenses/activate", `{"product":"alpha","user_id":"` + f.member.User.ID + `"}`, 422, "validation_error", "fingerprint"},
		{"heartbeat wrong type", "POST", "/v1/licenses/heartbeat", `{"activation_id":5}`, 400, "invalid_request", "activation_id"},
		{"release unknown activation", "DELETE", "/v1/licenses/activations/act_nope", "", 404, "not_found", ""},
		{"negative rate limit", "PUT", "/v1/organizations/acme/rate-limit", `{"limit":-5}`, 422, "validation_error", "limit"},
		{"rate limit wrong type", "PUT", "/v1/organizations/acme/rate-limit", `{"limit":"many"}`, 400, "invalid_request", "limit"},
		{"usage unknown metric", "GET", "/v1/usage?metric=nope", "", 422, "validation_error", "metric"},
		{"webhook bad url", "POST", "/v1/webhooks", `{"organization_id":"acme","url":"not a url","events":["seat.assigned"]}`, 422, "validation_error", "url"},
		{"webhook unknown event", "POST", "/v1/webhooks", `{"organization_id":"acme","url":"https://hooks.example.com/x","events":["seat.exploded"]}`, 422, "validation_error", "events"},
		{"client unknown grant", "POST", "/v1/clients", `{"name":"C","redirect_uris":["https://app.example.com/cb"],"grant_types":["password"]}`, 422, "validation_error", "grant_types"},
		{"client unknown auth method", "POST", "/v1/clients", `{"name":"C","redirect_uris":["https://app.example.com/cb"],"token_endpoint_auth_method":"tls_client_auth"}`, 422, "validation_error", "token_endpoint_auth_method"},
		{"bad limit", "GET", "/v1/products?limit=abc", "", 400, "invalid_request", "limit"},
		{"bad status filter", "GET", "/v1/subscriptions?status=paused", "", 422, "validation_error", "status"},
		{"bad since", "GET", "/v1/audit-logs?since=yesterday", "", 422, "validation_error", "since"},
		{"unknown route", "GET", "/v1/nothing-here", "", 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.auditCount(t)
			rec, out := f.call(t, &f.opKey, tt.method, tt.path, tt.body)
			if rec.Code != tt.status || out["error"] != tt.code {
				t.Fatalf("= %d %v, want %d %s\n%s", rec.Code, out["error"], tt.status, tt.code, rec.Body)
			}
			if out["error_description"] == "" || out["error_description"] == nil {
				t.Errorf("no error_description: %s", rec.Body)
			}
			if tt.field != "" && fieldsOf(out)[tt.field] == nil {
				t.Errorf("fields = %v, want %q named", out["fields"], tt.field)
			}
			if rec.Header().Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type %q", rec.Header().Get("Content-Type"))
			}
			if after := f.auditCount(t); after != before {
				t.Errorf("a refused request wrote %d audit entries", after-before)
			}
		})
	}
}
