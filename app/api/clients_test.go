package api_test

import (
	"net/http"
	"testing"
)

func TestClientRoutes(t *testing.T) {
	f := newFixture(t)
	rec, body := f.call(t, &f.opKey, "POST", "/api/v1/clients", `{"name":"Portal","redirect_uris":["https://app.example.com/callback"],"allowed_origins":["https://app.example.com"]}`)
	if rec.Code != http.StatusCreated || body["client_secret"] == "" || body["client_id"] == nil {
		t.Fatalf("create: %d %v", rec.Code, body)
	}
	id := body["id"].(string)
	secret := body["client_secret"].(string)

	rec, body = f.call(t, &f.opKey, "GET", "/v1/clients/"+id, "")
	if rec.Code != http.StatusOK || body["client_secret"] != nil || body["name"] != "Portal" {
		t.Fatalf("get: %d %v", rec.Code, body)
	}
	rec, body = f.call(t, &f.opKey, "PATCH", "/api/v1/clients/"+id, `{"enabled":false,"description":"internal"}`)
	if rec.Code != http.StatusOK || body["enabled"] != false || body["description"] != "internal" {
		t.Fatalf("patch: %d %v", rec.Code, body)
	}
	rec, body = f.call(t, &f.opKey, "POST", "/api/v1/clients/"+id+"/rotate-secret", "")
	if rec.Code != http.StatusOK || body["client_secret"] == "" || body["client_secret"] == secret {
		t.Fatalf("rotate: %d %v", rec.Code, body)
	}
	rec, body = f.call(t, &f.opKey, "GET", "/api/v1/clients?limit=1", "")
	if rec.Code != http.StatusOK || len(body["clients"].([]any)) != 1 {
		t.Fatalf("list: %d %v", rec.Code, body)
	}

	// Issue 11's settings: a device-flow CLI without redirect URIs, and an
	// app listed under Connect New App.
	rec, body = f.call(t, &f.opKey, "POST", "/api/v1/clients", `{"name":"CLI","grant_types":["device_code"],"token_endpoint_auth_method":"none"}`)
	if rec.Code != http.StatusCreated || body["public"] != true || body["token_endpoint_auth_method"] != "none" || body["client_secret"] != nil {
		t.Fatalf("create device client: %d %v", rec.Code, body)
	}
	rec, body = f.call(t, &f.opKey, "PATCH", "/api/v1/clients/"+id, `{"token_endpoint_auth_method":"client_secret_post","initiate_login_uri":"https://app.example.com/login","target_link_uri":"https://app.example.com/home"}`)
	if rec.Code != http.StatusOK || body["token_endpoint_auth_method"] != "client_secret_post" || body["initiate_login_uri"] != "https://app.example.com/login" ||
		body["target_link_uri"] != "https://app.example.com/home" {
		t.Fatalf("patch settings: %d %v", rec.Code, body)
	}
	// Require DPoP (RFC 9449 dpop_bound_access_tokens): on at create, off by PATCH.
	rec, body = f.call(t, &f.opKey, "POST", "/api/v1/clients", `{"name":"Bound","redirect_uris":["https://b.example/cb"],"dpop_bound_access_tokens":true}`)
	if rec.Code != http.StatusCreated || body["dpop_bound_access_tokens"] != true {
		t.Fatalf("create with dpop_bound_access_tokens: %d %v", rec.Code, body)
	}
	rec, body = f.call(t, &f.opKey, "PATCH", "/api/v1/clients/"+body["id"].(string), `{"dpop_bound_access_tokens":false}`)
	if rec.Code != http.StatusOK || body["dpop_bound_access_tokens"] != false {
		t.Fatalf("patch dpop_bound_access_tokens: %d %v", rec.Code, body)
	}

	bad := []struct {
		name, method, path, body string
		status                   int
		field                    string
	}{
		{"unknown field", "POST", "/api/v1/clients", `{"name":"X","redirect_uris":["https://x.example/cb"],"nope":1}`, 400, "nope"},
		{"wrong type", "POST", "/api/v1/clients", `{"name":"X","redirect_uris":"https://x.example/cb"}`, 400, "redirect_uris"},
		{"http redirect to a remote host", "POST", "/api/v1/clients", `{"name":"X","redirect_uris":["http://x.example/cb"]}`, 422, "redirect_uris"},
		{"no name", "POST", "/api/v1/clients", `{"name":"","redirect_uris":["https://x.example/cb"]}`, 422, "name"},
		{"confidential to public", "PATCH", "/api/v1/clients/" + id, `{"token_endpoint_auth_method":"none"}`, 422, "token_endpoint_auth_method"},
		{"private_key_jwt without keys", "POST", "/api/v1/clients", `{"name":"X","redirect_uris":["https://x.example/cb"],"token_endpoint_auth_method":"private_key_jwt"}`, 422, "jwks"},
		{"bad initiate_login_uri", "POST", "/api/v1/clients", `{"name":"X","redirect_uris":["https://x.example/cb"],"initiate_login_uri":"javascript:x"}`, 422, "initiate_login_uri"},
		{"target_link_uri without initiate_login_uri", "POST", "/api/v1/clients", `{"name":"X","redirect_uris":["https://x.example/cb"],"target_link_uri":"https://x.example/home"}`, 422, "target_link_uri"},
		{"bad target_link_uri", "PATCH", "/api/v1/clients/" + id, `{"target_link_uri":"javascript:x"}`, 422, "target_link_uri"},
		{"unknown client", "GET", "/api/v1/clients/client_nope", "", 404, ""},
	}
	for _, tt := range bad {
		rec, body := f.call(t, &f.opKey, tt.method, tt.path, tt.body)
		if rec.Code != tt.status {
			t.Errorf("%s: %d, want %d (%v)", tt.name, rec.Code, tt.status, body)
			continue
		}
		if tt.field != "" {
			fields, _ := body["fields"].(map[string]any)
			if fields[tt.field] == nil {
				t.Errorf("%s: fields %v lack %q", tt.name, fields, tt.field)
			}
		}
	}
	if rec, _ := f.call(t, &f.acmeKey, "GET", "/api/v1/clients", ""); rec.Code != http.StatusForbidden {
		t.Errorf("customer key listing clients: %d", rec.Code)
	}
}
