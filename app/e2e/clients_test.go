package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

// authorizeInBrowser opens authURL, signs in as email on the login page it
// leads to, approves on the consent screen and waits for the callback.
func authorizeInBrowser(t *testing.T, ctx context.Context, authURL, email string) {
	t.Helper()
	run(t, ctx, "open the authorization URL",
		chromedp.Navigate(authURL),
		chromedp.WaitVisible(chromedp.ID(views.LoginFormID)),
	)
	screenshot(t, ctx, "oauth-login")
	run(t, ctx, "sign in as "+email,
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), apptest.Password),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.ID(views.ConsentFormID)),
	)
	screenshot(t, ctx, "oauth-consent")
	run(t, ctx, "Authorize",
		chromedp.Click(chromedp.CSS(`button[value=approve]`)),
		chromedp.WaitVisible(chromedp.ID("callback-done")),
	)
	screenshot(t, ctx, "oauth-callback")
}

// TestOAuthClientFromAdminPortal: an operator creates a client in the admin
// portal, copies its id and secret from the shown-once page, and a real
// relying party (x/oauth2) signs a customer in with them.
func TestOAuthClientFromAdminPortal(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	user := env.Customer(t, "acme", "ada@acme.test", app.RoleMember)
	rec := &callbackRecorder{}
	cb := httptest.NewServer(rec)
	defer cb.Close()
	ts := env.Server(t)
	ctx := newBrowser(t)

	signIn(t, ctx, ts.URL, "owner@example.com", apptest.Password)
	screenshot(t, ctx, "admin-dashboard")
	run(t, ctx, "open OAuth clients",
		chromedp.Navigate(ts.URL+"/admin/clients"),
		chromedp.WaitVisible(chromedp.ID(views.ClientsID)),
	)
	screenshot(t, ctx, "admin-clients-empty")
	run(t, ctx, "open the new client form",
		chromedp.Click(chromedp.CSS(`header a[href="/admin/clients/new"]`)),
		chromedp.WaitVisible(chromedp.ID(views.ClientFormID)),
	)
	screenshot(t, ctx, "admin-client-new")
	run(t, ctx, "a bad redirect URI is refused beside the field",
		chromedp.SendKeys(chromedp.ID("name"), "Acme Dashboard"),
		chromedp.SendKeys(chromedp.ID("description"), "Dashboards for Acme's customers."),
		chromedp.SendKeys(chromedp.ID("redirect_uris"), "not a uri"),
		chromedp.Click(chromedp.CSS("#"+views.ClientFormID+` button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("redirect_uris-error")),
	)
	screenshot(t, ctx, "admin-client-new-error")
	run(t, ctx, "create the client",
		chromedp.Clear(chromedp.ID("redirect_uris")),
		chromedp.SendKeys(chromedp.ID("redirect_uris"), cb.URL+"/callback"),
		chromedp.Click(chromedp.CSS("#"+views.ClientFormID+` button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID(views.SecretViewID)),
	)
	clientID := get(t, ctx, "client id", chromedp.Value(chromedp.ID(views.ClientIDValueID)))
	secret := get(t, ctx, "client secret", chromedp.Value(chromedp.ID(views.ClientSecretValueID)))
	if !strings.HasPrefix(clientID, "client_") || !strings.HasPrefix(secret, "cs_") {
		t.Fatalf("shown-once page: %q %q", clientID, secret)
	}
	run(t, ctx, "copy the secret",
		chromedp.Click(chromedp.CSS(`button[data-copy-target="`+views.ClientSecretValueID+`"]`)),
	)
	label := get(t, ctx, "the Copy button answers", chromedp.Poll[string](`(() => { const t = document.querySelector('button[data-copy-target="`+views.ClientSecretValueID+`"]').textContent; return t === "Copy" ? null : t; })()`))
	if label != "Copied" && !strings.Contains(label, "Ctrl+C") {
		t.Errorf("Copy button says %q", label)
	}
	screenshot(t, ctx, "admin-client-created")
	run(t, ctx, "the client's page",
		chromedp.Click(chromedp.CSS("#"+views.SecretViewID+` a[role=button]`)),
		chromedp.WaitVisible(chromedp.ID(views.ClientFormID)),
	)
	if html := get(t, ctx, "client page", chromedp.OuterHTML(chromedp.CSS("main"))); strings.Contains(html, secret) {
		t.Fatal("the client's page shows the secret again")
	}
	screenshot(t, ctx, "admin-client-edit")
	run(t, ctx, "the list shows it",
		chromedp.Navigate(ts.URL+"/admin/clients"),
		chromedp.WaitVisible(chromedp.ID("client-"+clientID)),
	)
	screenshot(t, ctx, "admin-clients")
	run(t, ctx, "disable it",
		chromedp.Click(chromedp.CSS("#client-"+clientID+` a.danger[href$="/disable"]`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] .confirm`)),
	)
	if asked := get(t, ctx, "confirmation", chromedp.Text(chromedp.CSS(`dialog[open] h1`))); !strings.Contains(asked, "Disable Acme Dashboard") {
		t.Errorf("disabling asked %q", asked)
	}
	run(t, ctx, "confirm",
		chromedp.Click(chromedp.CSS(`dialog[open] button.danger`)),
		chromedp.WaitVisible(chromedp.CSS("#client-"+clientID+" .badge-failure")),
		chromedp.WaitVisible(chromedp.CSS(".flash p")),
	)
	screenshot(t, ctx, "admin-clients-disabled")
	run(t, ctx, "enable it again",
		chromedp.Click(chromedp.CSS("#client-"+clientID+` form[action$="/enable"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#client-"+clientID+" .badge-active")),
	)
	run(t, ctx, "sign the operator out",
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
	)

	conf := &oauth2.Config{ClientID: clientID, ClientSecret: secret, RedirectURL: cb.URL + "/callback",
		Endpoint: oauth2.Endpoint{AuthURL: ts.URL + "/oauth/authorize", TokenURL: ts.URL + "/oauth/token"},
		Scopes:   []string{"openid", "email", "profile"}}
	verifier := oauth2.GenerateVerifier()
	authorizeInBrowser(t, ctx, conf.AuthCodeURL("st-admin", oauth2.S256ChallengeOption(verifier)), user.User.Email)
	q := rec.last()
	if q.Get("code") == "" || q.Get("state") != "st-admin" {
		t.Fatalf("callback: %v", q)
	}
	rp := context.WithValue(context.Background(), oauth2.HTTPClient, ts.Client())
	tok, err := conf.Exchange(rp, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange with the secret from the page: %v", err)
	}
	res, err := conf.Client(rp, tok).Get(ts.URL + "/oauth/userinfo")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var info map[string]any
	if err := json.NewDecoder(res.Body).Decode(&info); err != nil || res.StatusCode != http.StatusOK || info["email"] != user.User.Email {
		t.Fatalf("userinfo: %d %v %v", res.StatusCode, info, err)
	}
}

// apiProducts calls GET /api/v1/products with an API key.
func apiProducts(t *testing.T, base, key, secret string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/products", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("X-API-Secret", secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestAPIKeyFromAdminPortal: an operator creates an API key in the admin
// portal, the API accepts it, the operator revokes it, the API refuses it.
func TestAPIKeyFromAdminPortal(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "ada@acme.test", app.RoleMember)
	ts := env.Server(t)
	ctx := newBrowser(t)

	signIn(t, ctx, ts.URL, "owner@example.com", apptest.Password)
	screenshot(t, ctx, "admin-dashboard")
	run(t, ctx, "open API keys",
		chromedp.Navigate(ts.URL+"/admin/settings/api-keys"),
		chromedp.WaitVisible(chromedp.ID(views.APIKeyFormID)),
	)
	screenshot(t, ctx, "admin-api-keys-empty")
	run(t, ctx, "create a key",
		chromedp.SendKeys(chromedp.CSS("#"+views.APIKeyFormID+" #name"), "CI pipeline"),
		chromedp.Click(chromedp.CSS("#"+views.APIKeyFormID+` button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID(views.SecretViewID)),
	)
	screenshot(t, ctx, "admin-api-key-created")
	key := get(t, ctx, "key", chromedp.Value(chromedp.ID(views.APIKeyValueID)))
	secret := get(t, ctx, "secret", chromedp.Value(chromedp.ID(views.APIKeySecretValueID)))
	if got := apiProducts(t, ts.URL, key, secret); got != http.StatusOK {
		t.Fatalf("API with the new key: %d, want 200", got)
	}
	if err := env.Svc.FlushAPIKeyUsage(context.Background()); err != nil {
		t.Fatal(err)
	}

	run(t, ctx, "back to the list",
		chromedp.Click(chromedp.CSS("#"+views.SecretViewID+` a[role=button]`)),
		chromedp.WaitVisible(chromedp.ID("key-"+key)),
	)
	if row := get(t, ctx, "row", chromedp.Text(chromedp.ID("key-"+key))); !strings.Contains(row, "UTC") || strings.Contains(row, secret) { // last used is the one time of day in the row
		t.Errorf("row: %q", row)
	}
	screenshot(t, ctx, "admin-api-keys")
	run(t, ctx, "revoke it",
		chromedp.Click(chromedp.CSS("#key-"+key+` a.danger`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] .confirm`)),
	)
	if asked := get(t, ctx, "confirmation", chromedp.Text(chromedp.CSS(`dialog[open] h1`))); !strings.Contains(asked, "Revoke the API key") {
		t.Errorf("confirmation: %q", asked)
	}
	run(t, ctx, "confirm",
		chromedp.Click(chromedp.CSS(`dialog[open] button.danger`)),
		chromedp.WaitVisible(chromedp.CSS("#key-"+key+" .badge-failure")),
		chromedp.WaitVisible(chromedp.CSS(".flash p")),
	)
	screenshot(t, ctx, "admin-api-keys-revoked")
	if got := apiProducts(t, ts.URL, key, secret); got != http.StatusUnauthorized {
		t.Fatalf("API with the revoked key: %d, want 401", got)
	}
}

// TestRevokeConnectedAppInPortal: a user connects an app, revokes it under
// Connected apps, and the app's refresh token is refused at once.
func TestRevokeConnectedAppInPortal(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	user := env.Customer(t, "acme", "ada@acme.test", app.RoleMember)
	rec := &callbackRecorder{}
	cb := httptest.NewServer(rec)
	defer cb.Close()
	client, err := env.Svc.CreateClient(context.Background(), app.CLI(), app.ClientInput{Name: "Acme Reports",
		RedirectURIs: []string{cb.URL + "/callback"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	ctx := newBrowser(t)

	conf := &oauth2.Config{ClientID: client.ClientID, ClientSecret: client.ClientSecret, RedirectURL: cb.URL + "/callback",
		Endpoint: oauth2.Endpoint{AuthURL: ts.URL + "/oauth/authorize", TokenURL: ts.URL + "/oauth/token"},
		Scopes:   []string{"openid", "email", "offline_access"}}
	authorizeInBrowser(t, ctx, conf.AuthCodeURL("st-portal"), user.User.Email)
	rp := context.WithValue(context.Background(), oauth2.HTTPClient, ts.Client())
	tok, err := conf.Exchange(rp, rec.last().Get("code"))
	if err != nil || tok.RefreshToken == "" {
		t.Fatalf("exchange: %v (refresh token %q)", err, tok.RefreshToken)
	}

	run(t, ctx, "open Connected apps",
		chromedp.Navigate(ts.URL+"/portal/oauth-clients"),
		chromedp.WaitVisible(chromedp.ID("app-"+client.ClientID)),
	)
	row := get(t, ctx, "row", chromedp.Text(chromedp.ID("app-"+client.ClientID)))
	if !strings.Contains(row, "Acme Reports") || !strings.Contains(row, "See your email address") || strings.Contains(row, "Not recently") {
		t.Errorf("row: %q", row)
	}
	screenshot(t, ctx, "portal-connected-apps")
	run(t, ctx, "revoke the app",
		chromedp.Click(chromedp.CSS("#app-"+client.ClientID+` a.danger`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] .confirm`)),
	)
	if asked := get(t, ctx, "confirmation", chromedp.Text(chromedp.CSS(`dialog[open] h1`))); !strings.Contains(asked, "Revoke the access of Acme Reports") {
		t.Errorf("confirmation: %q", asked)
	}
	run(t, ctx, "confirm",
		chromedp.Click(chromedp.CSS(`dialog[open] button.danger`)),
		chromedp.WaitNotPresent(chromedp.ID("app-"+client.ClientID)),
		chromedp.WaitVisible(chromedp.CSS(".flash p")),
	)
	screenshot(t, ctx, "portal-connected-apps-revoked")

	_, err = conf.TokenSource(rp, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("refresh after revoking: %v, want invalid_grant", err)
	}
}
