package api_test

import (
	"strings"
	"testing"
)

// TestGuideNodeExample runs the guide's Node.js example as written: API key
// in Authorization, secret in X-API-Secret, /v1 paths, guide field names.
func TestGuideNodeExample(t *testing.T) {
	f := newFixture(t)
	rec, product := f.call(t, &f.opKey, "POST", "/v1/products", `{"name":"My Product","slug":"my-product","features":["Feature 1","Feature 2"]}`)
	if rec.Code != 201 {
		t.Fatalf("create product: %d %s", rec.Code, rec.Body)
	}
	for _, k := range []string{"id", "name", "slug", "description", "features", "createdAt"} {
		if _, ok := product[k]; !ok {
			t.Errorf("product lacks %q: %v", k, product)
		}
	}
	if !strings.HasPrefix(product["id"].(string), "prod_") {
		t.Errorf("product id %v", product["id"])
	}
	body := `{"organization_id":"` + f.admin.Org.ID + `","product_id":"` + product["id"].(string) +
		`","total_seats":100,"price_per_seat":29.99,"billing_cycle":"monthly","status":"active"}`
	rec, sub := f.call(t, &f.opKey, "POST", "/v1/subscriptions", body)
	if rec.Code != 201 {
		t.Fatalf("create subscription: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), `"price_per_seat":29.99`) {
		t.Errorf("price not a decimal number: %s", rec.Body)
	}
	for k, want := range map[string]any{"organization_id": f.admin.Org.ID, "total_seats": 100.0, "billing_cycle": "monthly", "status": "active", "seats_used": 0.0, "end_date": nil} {
		if sub[k] != want {
			t.Errorf("subscription %s = %v, want %v", k, sub[k], want)
		}
	}
	list := f.mustCall(t, &f.opKey, 200, "GET", "/v1/products", "")
	if ps := list["products"].([]any); len(ps) != 1 {
		t.Errorf("products = %v", ps)
	}
	if _, ok := list["next_cursor"]; !ok {
		t.Error("list lacks next_cursor")
	}
	// The guide's update and cancel.
	id := sub["id"].(string)
	up := f.mustCall(t, &f.opKey, 200, "PATCH", "/v1/subscriptions/"+id, `{"total_seats":150,"price_per_seat":24.99,"status":"active","end_date":"2030-12-31T00:00:00Z"}`)
	if up["total_seats"] != 150.0 || up["price_per_seat"] != 24.99 || up["end_date"] != "2030-12-31T00:00:00Z" {
		t.Errorf("updated = %v", up)
	}
	c := f.mustCall(t, &f.opKey, 200, "PATCH", "/v1/subscriptions/"+id, `{"status":"cancelled"}`)
	if c["status"] != "cancelled" {
		t.Errorf("cancelled = %v", c)
	}
	// Both prefixes serve the same API.
	f.mustCall(t, &f.opKey, 200, "GET", "/api/v1/subscriptions/"+id, "")
	f.mustCall(t, &f.opKey, 200, "GET", "/api/v1/products/my-product", "")
	f.mustCall(t, &f.opKey, 200, "GET", "/v1/products/"+product["id"].(string), "")
}

func TestProductUpdateAndArchive(t *testing.T) {
	f := newFixture(t)
	id := f.product(t, "alpha")
	subID := f.subscription(t, "alpha", 5, "")
	out := f.mustCall(t, &f.opKey, 200, "PATCH", "/v1/products/alpha", `{"name":"Alpha 2","features":["X"]}`)
	if out["name"] != "Alpha 2" || len(out["features"].([]any)) != 1 {
		t.Fatalf("patched = %v", out)
	}
	out = f.mustCall(t, &f.opKey, 200, "PATCH", "/v1/products/"+id, `{"archived":true}`)
	if out["archived"] != true {
		t.Fatalf("archived = %v", out)
	}
	if list := f.mustCall(t, &f.opKey, 200, "GET", "/v1/products", ""); len(list["products"].([]any)) != 0 {
		t.Errorf("archived product still listed: %v", list)
	}
	if list := f.mustCall(t, &f.opKey, 200, "GET", "/v1/products?include_archived=true", ""); len(list["products"].([]any)) != 1 {
		t.Errorf("include_archived: %v", list)
	}
	// Its subscription stays readable.
	f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/subscriptions/"+subID, "")
	// Customers read the catalogue but cannot change it.
	f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/products/alpha", "")
	f.mustCall(t, &f.acmeKey, 403, "POST", "/v1/products", `{"name":"Nope","slug":"nope"}`)
}

func TestPagination(t *testing.T) {
	f := newFixture(t)
	for _, s := range []string{"p-a", "p-b", "p-c"} {
		f.product(t, s)
	}
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; pages < 5; pages++ {
		path := "/v1/products?limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		out := f.mustCall(t, &f.opKey, 200, "GET", path, "")
		for _, p := range out["products"].([]any) {
			seen[p.(map[string]any)["slug"].(string)] = true
		}
		if out["next_cursor"] == nil {
			break
		}
		cursor = out["next_cursor"].(string)
	}
	if len(seen) != 3 {
		t.Fatalf("pages covered %v", seen)
	}
}

func TestSubscriptionVisibility(t *testing.T) {
	f := newFixture(t)
	f.product(t, "alpha")
	acmeSub := f.subscription(t, "alpha", 5, "")
	other := f.env.Customer(t, "globex", "g@globex.test", "admin")
	out := f.mustCall(t, &f.opKey, 201, "POST", "/v1/subscriptions", `{"organization_id":"`+other.Org.ID+`","product_id":"alpha","total_seats":1,"billing_cycle":"yearly"}`)
	globexSub := out["id"].(string)

	list := f.mustCall(t, &f.acmeKey, 200, "GET", "/v1/subscriptions", "")
	if subs := list["subscriptions"].([]any); len(subs) != 1 || subs[0].(map[string]any)["id"] != acmeSub {
		t.Errorf("acme sees %v", subs)
	}
	f.mustCall(t, &f.acmeKey, 404, "GET", "/v1/subscriptions/"+globexSub, "")
	f.mustCall(t, &f.acmeKey, 403, "PATCH", "/v1/subscriptions/"+acmeSub, `{"total_seats":9}`)
	if all := f.mustCall(t, &f.opKey, 200, "GET", "/v1/subscriptions?organization_id=globex", ""); len(all["subscriptions"].([]any)) != 1 {
		t.Errorf("operator filter by org slug: %v", all)
	}
}
