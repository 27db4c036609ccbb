package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

// htmxPost posts a form as htmx does.
func htmxPost(b *apptest.Browser, path string, form url.Values) (*http.Response, string) {
	b.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.Base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("HX-Request", "true")
	return b.Do(req)
}

// checkedScopes lists the scope checkboxes of a page and which are ticked.
func checkedScopes(t *testing.T, body string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, n := range apptest.FindAll(t, body, apptest.Input("allowed_scopes")) {
		_, checked := attrPresent(n, "checked")
		out[apptest.Attr(n, "value")] = checked
	}
	return out
}

func attrPresent(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func TestClientPages(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	if _, err := env.Svc.CreateProduct(context.Background(), app.CLI(), app.ProductInput{Name: "Pro Suite", Slug: "pro-suite"}); err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")

	res, body := b.Get("/admin/clients")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "No OAuth clients yet") {
		t.Fatalf("empty list: %d", res.StatusCode)
	}
	res, body = b.Get("/admin/clients/new")
	scopes := checkedScopes(t, body)
	if res.StatusCode != http.StatusOK || !scopes["openid"] || !scopes["offline_access"] || scopes["pro-suite"] {
		t.Fatalf("new form: %d, scopes %v", res.StatusCode, scopes)
	}
	if _, ok := scopes["pro-suite"]; !ok {
		t.Fatal("product slug missing from the scope list")
	}

	// Invalid: 422, the form again with what was typed and the errors beside the fields.
	form := url.Values{"name": {"Acme Dashboard"}, "redirect_uris": {"https://app.example.com/cb\nnot a uri"},
		"allowed_origins": {"https://app.example.com/path"}, "allowed_scopes": {"openid", "pro-suite"}}
	res, body = b.PostForm("/admin/clients", form)
	if res.StatusCode != http.StatusUnprocessableEntity || apptest.Find(t, body, apptest.ByID("redirect_uris-error")) == nil ||
		apptest.Find(t, body, apptest.ByID("allowed_origins-error")) == nil || !strings.Contains(body, "<html") {
		t.Fatalf("invalid create: %d\n%s", res.StatusCode, body)
	}
	if s := checkedScopes(t, body); !s["pro-suite"] || s["email"] {
		t.Errorf("ticked scopes not kept: %v", s)
	}
	if !strings.Contains(body, "not a uri") || apptest.Attr(apptest.Find(t, body, apptest.Input("name")), "value") != "Acme Dashboard" {
		t.Error("typed values not kept")
	}
	res, body = htmxPost(b, "/admin/clients", form)
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, "<html") || apptest.Find(t, body, apptest.ByID(views.ClientFormID)) == nil {
		t.Fatalf("invalid create via htmx: %d\n%s", res.StatusCode, body)
	}

	// Created: the shown-once page carries the id and the secret.
	form.Set("redirect_uris", "https://app.example.com/cb\n\nhttps://app.example.com/other")
	form.Set("allowed_origins", "https://app.example.com")
	res, body = b.PostForm("/admin/clients", form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("create: %d\n%s", res.StatusCode, body)
	}
	clientID := apptest.Attr(apptest.Find(t, body, apptest.ByID(views.ClientIDValueID)), "value")
	secret := apptest.Attr(apptest.Find(t, body, apptest.ByID(views.ClientSecretValueID)), "value")
	if !strings.HasPrefix(clientID, "client_") || !strings.HasPrefix(secret, "cs_") ||
		apptest.Find(t, body, func(n *html.Node) bool { return apptest.Attr(n, "data-copy-target") == views.ClientSecretValueID }) == nil {
		t.Fatalf("shown-once page: id %q secret %q", clientID, secret)
	}
	if strings.Count(body, secret) != 1 {
		t.Errorf("secret appears %d times on the shown-once page", strings.Count(body, secret))
	}
	c, err := env.Svc.ClientByID(context.Background(), app.CLI(), clientID)
	if err != nil || len(c.RedirectURIs) != 2 || len(c.AllowedScopes) != 2 || c.AllowedOrigins[0] != "https://app.example.com" {
		t.Fatalf("stored client %+v %v", c, err)
	}

	// The list and the client's page never show the secret again.
	_, list := b.Get("/admin/clients")
	row := apptest.Find(t, list, apptest.ByID("client-"+clientID))
	if row == nil || strings.Contains(list, secret) || !strings.Contains(list, "Confidential") || !strings.Contains(list, "Enabled") {
		t.Fatalf("list after create:\n%s", list)
	}
	res, edit := b.Get("/admin/clients/" + clientID)
	if res.StatusCode != http.StatusOK || strings.Contains(edit, secret) || !strings.Contains(edit, "https://app.example.com/other") {
		t.Fatalf("edit page: %d", res.StatusCode)
	}
	if s := checkedScopes(t, edit); !s["openid"] || !s["pro-suite"] || s["email"] {
		t.Errorf("edit form scopes %v", s)
	}

	// Edit: errors in place via htmx; a good save redirects with a flash.
	res, body = htmxPost(b, "/admin/clients/"+clientID, url.Values{"name": {""}, "redirect_uris": {"https://app.example.com/cb"}})
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, "<html") || apptest.Find(t, body, apptest.ByID("name-error")) == nil {
		t.Fatalf("invalid edit via htmx: %d\n%s", res.StatusCode, body)
	}
	res, body = b.PostForm("/admin/clients/"+clientID, url.Values{"name": {""}, "redirect_uris": {"https://app.example.com/cb"}})
	if res.StatusCode != http.StatusUnprocessableEntity || apptest.Find(t, body, apptest.ByID("name-error")) == nil || !strings.Contains(body, "Rotate secret") {
		t.Fatalf("invalid edit: %d", res.StatusCode)
	}
	res, _ = b.PostForm("/admin/clients/"+clientID, url.Values{"name": {"Acme Console"}, "redirect_uris": {"https://app.example.com/cb"},
		"allowed_scopes": {"openid", "email"}, "require_pkce": {"on"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/clients/"+clientID {
		t.Fatalf("edit: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if c, _ := env.Svc.ClientByID(context.Background(), app.CLI(), clientID); c.Name != "Acme Console" || !c.RequirePKCE || len(c.RedirectURIs) != 1 || len(c.AllowedOrigins) != 0 {
		t.Fatalf("after edit: %+v", c)
	}
	if _, body := b.Get("/admin/clients/" + clientID); !strings.Contains(body, "were saved") {
		t.Error("no flash after edit")
	}
	res, _ = htmxPost(b, "/admin/clients/"+clientID, url.Values{"name": {"Acme Console"}, "redirect_uris": {"https://app.example.com/cb"}})
	if res.StatusCode != http.StatusOK || res.Header.Get("HX-Location") != "/admin/clients/"+clientID {
		t.Fatalf("edit via htmx: %d → %q", res.StatusCode, res.Header.Get("HX-Location"))
	}

	// Disable and enable.
	res, _ = b.PostForm("/admin/clients/"+clientID+"/disable", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/clients" {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if _, list := b.Get("/admin/clients"); !strings.Contains(list, "Disabled") || !strings.Contains(list, "was disabled") {
		t.Error("list does not show the client disabled")
	}
	res, _ = htmxPost(b, "/admin/clients/"+clientID+"/enable", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("HX-Location") != "/admin/clients" {
		t.Fatalf("enable via htmx: %d", res.StatusCode)
	}
	if c, _ := env.Svc.ClientByID(context.Background(), app.CLI(), clientID); !c.Enabled {
		t.Fatal("still disabled")
	}

	// Rotate: a new secret, shown once, the old one gone; via htmx into <main>.
	res, body = htmxPost(b, "/admin/clients/"+clientID+"/rotate-secret", nil)
	newSecret := apptest.Attr(apptest.Find(t, body, apptest.ByID(views.ClientSecretValueID)), "value")
	if res.StatusCode != http.StatusOK || res.Header.Get("HX-Retarget") != "#"+views.MainID || strings.Contains(body, "<html") ||
		!strings.HasPrefix(newSecret, "cs_") || newSecret == secret {
		t.Fatalf("rotate via htmx: %d %q\n%s", res.StatusCode, res.Header.Get("HX-Retarget"), body)
	}
	if _, edit := b.Get("/admin/clients/" + clientID); strings.Contains(edit, newSecret) {
		t.Error("rotated secret shown again")
	}
	if res, _ := b.Get("/admin/clients/client_nope"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown client: %d", res.StatusCode)
	}
}

func TestPublicClientHasNoSecret(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")
	res, body := htmxPost(b, "/admin/clients", url.Values{"name": {"SPA"}, "redirect_uris": {"https://spa.example.com/cb"}, "public": {"on"}})
	if res.StatusCode != http.StatusOK || apptest.Find(t, body, apptest.ByID(views.ClientIDValueID)) == nil || apptest.Find(t, body, apptest.ByID(views.ClientSecretValueID)) != nil {
		t.Fatalf("public create: %d\n%s", res.StatusCode, body)
	}
	id := apptest.Attr(apptest.Find(t, body, apptest.ByID(views.ClientIDValueID)), "value")
	if _, edit := b.Get("/admin/clients/" + id); strings.Contains(edit, "Rotate secret") || !strings.Contains(edit, "Public") {
		t.Error("public client's page offers a secret rotation")
	}
	if res, _ := b.PostForm("/admin/clients/"+id+"/rotate-secret", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("rotate a public client: %d", res.StatusCode)
	}
}

// TestAdminClientAndKeyRoutesForbidden: every route of these pages answers
// 403 to a signed-in user who is not an operator admin, even a customer
// organization's owner, and sends visitors to sign in.
func TestAdminClientAndKeyRoutesForbidden(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "boss@acme.test", app.RoleOwner)
	c, err := env.Svc.CreateClient(context.Background(), app.CLI(), app.ClientInput{Name: "App", RedirectURIs: []string{"https://app.example.com/cb"}})
	if err != nil {
		t.Fatal(err)
	}
	k, err := env.Svc.CreateAPIKey(context.Background(), app.CLI(), app.APIKeyInput{OrganizationID: "acme", Name: "Sync"})
	if err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("boss@acme.test")
	gets := []string{"/admin/clients", "/admin/clients/new", "/admin/clients/" + c.ClientID, "/admin/settings", "/admin/settings/api-keys"}
	posts := []string{"/admin/clients", "/admin/clients/" + c.ClientID, "/admin/clients/" + c.ClientID + "/enable",
		"/admin/clients/" + c.ClientID + "/disable", "/admin/clients/" + c.ClientID + "/rotate-secret",
		"/admin/settings/api-keys", "/admin/settings/api-keys/" + k.ID + "/revoke"}
	form := url.Values{"name": {"x"}, "redirect_uris": {"https://evil.example/cb"}, "organization_id": {"acme"}}
	for _, p := range gets {
		if res, _ := b.Get(p); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s: %d, want 403", p, res.StatusCode)
		}
	}
	for _, p := range posts {
		if res, body := b.PostForm(p, form); res.StatusCode != http.StatusForbidden || strings.Contains(body, "cs_") || strings.Contains(body, "sk_") {
			t.Errorf("POST %s: %d, want 403", p, res.StatusCode)
		}
	}
	anon := apptest.NewBrowser(t, ts)
	for _, p := range gets {
		if res, _ := anon.Get(p); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("anonymous GET %s: %d", p, res.StatusCode)
		}
	}
	if c2, _ := env.Svc.ClientByID(context.Background(), app.CLI(), c.ClientID); !c2.Enabled || c2.Name != "App" {
		t.Error("a forbidden request changed the client")
	}
	keys, _ := env.Svc.ListAPIKeys(context.Background(), app.CLI(), app.APIKeyQuery{})
	if len(keys.APIKeys) != 1 || keys.APIKeys[0].RevokedAt != nil {
		t.Error("a forbidden request changed the API keys")
	}
}

// TestClientProtocolSettingsForm: the form carries grant types, the
// authentication method and the initiate login URI, and a device-flow
// client needs no redirect URI.
func TestClientProtocolSettingsForm(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")
	res, body := b.Get("/admin/clients/new")
	for _, want := range []string{`name="grant_types"`, `value="urn:ietf:params:oauth:grant-type:device_code"`,
		`name="token_endpoint_auth_method"`, `name="initiate_login_uri"`, `name="target_link_uri"`, `name="require_dpop"`} {
		if res.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Fatalf("new form lacks %s", want)
		}
	}
	res, body = b.PostForm("/admin/clients", url.Values{"name": {"Acme CLI"}, "public": {"on"},
		"grant_types": {"urn:ietf:params:oauth:grant-type:device_code", "refresh_token"}, "token_endpoint_auth_method": {"client_secret_basic"}})
	if res.StatusCode != http.StatusOK || strings.Contains(body, "Client secret") {
		t.Fatalf("create device client: %d\n%s", res.StatusCode, body)
	}
	res, body = b.PostForm("/admin/clients", url.Values{"name": {"Web"}, "redirect_uris": {"https://w.example/cb"},
		"token_endpoint_auth_method": {"client_secret_post"}, "initiate_login_uri": {"https://w.example/login"}, "require_dpop": {"on"},
		"target_link_uri": {"https://w.example/home"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("create web client: %d\n%s", res.StatusCode, body)
	}
	// private_key_jwt with a JWKS pasted in: no secret is shown; a JWKS
	// with a private key is refused beside the field.
	jwks := `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`
	res, body = b.PostForm("/admin/clients", url.Values{"name": {"Service"}, "grant_types": {"client_credentials"},
		"token_endpoint_auth_method": {"private_key_jwt"}, "jwks": {jwks}})
	if res.StatusCode != http.StatusOK || strings.Contains(body, "Client secret") {
		t.Fatalf("create private_key_jwt client: %d\n%s", res.StatusCode, body)
	}
	res, body = b.PostForm("/admin/clients", url.Values{"name": {"Leaky"}, "grant_types": {"client_credentials"},
		"token_endpoint_auth_method": {"private_key_jwt"}, "jwks": {`{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="jwks-error"`) {
		t.Fatalf("secret key in a JWKS: %d", res.StatusCode)
	}
	res, body = b.PostForm("/admin/clients", url.Values{"name": {"Broken"}, "grant_types": {"client_credentials"},
		"token_endpoint_auth_method": {"private_key_jwt"}, "jwks": {`{not json`}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="jwks-error"`) {
		t.Fatalf("JWKS that is not JSON: %d", res.StatusCode)
	}
	page, err := env.Svc.ListClients(context.Background(), app.CLI(), "", "", 10)
	if err != nil || len(page.Clients) != 3 {
		t.Fatalf("clients %v %v", page, err)
	}
	for _, c := range page.Clients {
		switch c.Name {
		case "Acme CLI":
			if c.AuthMethod != "none" || !c.Public || len(c.RedirectURIs) != 0 || len(c.GrantTypes) != 2 {
				t.Errorf("device client %+v", c)
			}
		case "Web":
			if c.AuthMethod != "client_secret_post" || c.InitiateLoginURI != "https://w.example/login" || !c.RequireDPoP ||
				c.TargetLinkURI != "https://w.example/home" {
				t.Errorf("web client %+v", c)
			}
			// The edit form shows the box ticked; saving without it turns it off.
			if _, body := b.Get("/admin/clients/" + c.ClientID); !regexp.MustCompile(`name="require_dpop"[^>]*checked`).MatchString(body) {
				t.Errorf("edit form does not show Require DPoP ticked")
			}
			if res, _ := b.PostForm("/admin/clients/"+c.ClientID, url.Values{"name": {"Web"}, "redirect_uris": {"https://w.example/cb"},
				"token_endpoint_auth_method": {"client_secret_post"}, "initiate_login_uri": {"https://w.example/login"}}); res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusOK {
				t.Errorf("save without Require DPoP: %d", res.StatusCode)
			}
			if got, _ := env.Svc.ClientByID(context.Background(), app.CLI(), c.ClientID); got.RequireDPoP {
				t.Errorf("Require DPoP still on after unticking")
			}
			res, body := b.PostForm("/admin/clients/"+c.ClientID, url.Values{"name": {"Web"}, "redirect_uris": {"https://w.example/cb"},
				"token_endpoint_auth_method": {"client_secret_basic"}, "initiate_login_uri": {"ftp://nope"}})
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="initiate_login_uri-error"`) {
				t.Errorf("bad initiate_login_uri: %d", res.StatusCode)
			}
		}
	}
}
