package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
	"optare/app/cli"
	"optare/app/oidc"
	"optare/store"
	"optare/store/pgtest"
	"optare/views"
)

// TestDBCopyOfBrowserData is the way up from one VM, on data a browser
// made: an operator creates a product, a subscription with a seat and an
// OAuth client in the admin portal; a customer authorizes the client and a
// real relying party (x/oauth2) gets tokens and refreshes once. The server
// stops, `optare db copy` moves its SQLite file into an empty PostgreSQL
// database, and a second server on the copy (same issuer, same clock)
// answers introspection of every token and userinfo exactly as the first
// did, with the same rows in every table.
func TestDBCopyOfBrowserData(t *testing.T) {
	if why := pgtest.Missing(); why != "" {
		if pgtest.Required() {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	ctx := newBrowser(t)
	env := apptest.New(t)
	env.Operator(t)
	ada := env.Customer(t, "acme", "ada@acme.test", app.RoleMember)
	rec := &callbackRecorder{}
	cb := httptest.NewServer(rec)
	defer cb.Close()
	ts := env.Server(t)
	issuer := ts.URL

	signIn(t, ctx, issuer, "owner@example.com", apptest.Password)
	run(t, ctx, "create a product",
		chromedp.Navigate(issuer+"/admin/products/new"),
		chromedp.WaitVisible(chromedp.ID(views.ProductFormID)),
		chromedp.SendKeys(chromedp.ID("name"), "Alpha Analytics"),
		chromedp.SetValue(chromedp.ID("slug"), "alpha"),
		chromedp.SendKeys(chromedp.CSS(`#feature-list li:nth-child(1) input`), "Dashboards"),
		chromedp.Click(chromedp.CSS(`#product-form .form-actions button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("product-alpha")),
	)
	alpha, err := env.Svc.ProductByRef(context.Background(), app.CLI(), "alpha")
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "subscribe acme and give Ada a seat",
		chromedp.Navigate(issuer+"/admin/subscriptions/new"),
		chromedp.WaitVisible(chromedp.ID(views.SubscriptionFormID)),
		chromedp.SetValue(chromedp.ID("organization_id"), ada.Org.ID),
		chromedp.SetValue(chromedp.ID("product_id"), alpha.ID),
		chromedp.Clear(chromedp.ID("total_seats")),
		chromedp.SendKeys(chromedp.ID("total_seats"), "5"),
		chromedp.Clear(chromedp.ID("price_per_seat")),
		chromedp.SendKeys(chromedp.ID("price_per_seat"), "29.99"),
		chromedp.Click(chromedp.CSS(`#subscription-form .form-actions button`)),
		chromedp.WaitVisible(chromedp.ID(views.SeatsID)),
		chromedp.SetValue(chromedp.ID("user_id"), ada.User.ID),
		chromedp.Click(chromedp.CSS(`#seats form.assign-seat button`)),
		chromedp.WaitVisible(chromedp.ID("seat-"+ada.User.ID)),
	)
	run(t, ctx, "create an OAuth client",
		chromedp.Navigate(issuer+"/admin/clients/new"),
		chromedp.WaitVisible(chromedp.ID(views.ClientFormID)),
		chromedp.SendKeys(chromedp.ID("name"), "Acme Dashboard"),
		chromedp.SendKeys(chromedp.ID("redirect_uris"), cb.URL+"/callback"),
		chromedp.Click(chromedp.CSS("#"+views.ClientFormID+` button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID(views.SecretViewID)),
	)
	clientID := get(t, ctx, "client id", chromedp.Value(chromedp.ID(views.ClientIDValueID)))
	secret := get(t, ctx, "client secret", chromedp.Value(chromedp.ID(views.ClientSecretValueID)))
	run(t, ctx, "sign the operator out",
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
	)

	conf := &oauth2.Config{ClientID: clientID, ClientSecret: secret, RedirectURL: cb.URL + "/callback",
		Endpoint: oauth2.Endpoint{AuthURL: issuer + oidc.PathAuthorize, TokenURL: issuer + oidc.PathToken},
		Scopes:   []string{"openid", "email", "profile", "offline_access"}}
	verifier := oauth2.GenerateVerifier()
	authorizeInBrowser(t, ctx, conf.AuthCodeURL("st-copy", oauth2.S256ChallengeOption(verifier)), ada.User.Email)
	rp := context.WithValue(context.Background(), oauth2.HTTPClient, ts.Client())
	first, err := conf.Exchange(rp, rec.last().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil || first.RefreshToken == "" {
		t.Fatalf("exchange: %v (refresh token %q)", err, first.RefreshToken)
	}
	second, err := conf.TokenSource(rp, &oauth2.Token{RefreshToken: first.RefreshToken}).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	// The first refresh token is spent (inactive), the rest are live.
	tokens := []string{first.AccessToken, first.RefreshToken, second.AccessToken, second.RefreshToken}

	answers := func(base string) (intro []map[string]any, info map[string]any) {
		t.Helper()
		for _, tok := range tokens {
			intro = append(intro, postJSON(t, base+oidc.PathIntrospect, clientID, secret, url.Values{"token": {tok}}))
		}
		return intro, getJSON(t, base+oidc.PathUserinfo, second.AccessToken)
	}
	introA, infoA := answers(issuer)
	if introA[0]["active"] != true || introA[1]["active"] != false || introA[3]["active"] != true ||
		introA[2]["organizationId"] != ada.Org.ID || introA[2]["sub"] != ada.User.ID ||
		!cmp.Equal(introA[2]["products"], []any{"alpha"}) || infoA["email"] != ada.User.Email {
		t.Fatalf("introspection on SQLite: %v\nuserinfo: %v", introA, infoA)
	}

	// Stop writing: the server stops and flushes what it buffers, as
	// `optare serve` does on shutdown.
	ts.Close()
	if err := env.Svc.FlushAPIKeyUsage(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := rowCounts(t, "sqlite", "file:"+env.Path+"?mode=ro", env.Path)

	to := pgtest.Empty(t)
	var out, errOut bytes.Buffer
	if code := cli.Run(context.Background(), []string{"optare", "db", "copy", "--from", env.Path, "--to", to, "--json"},
		strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("optare db copy: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	var report struct {
		Tables   []app.CopiedTable `json:"tables"`
		Verified bool              `json:"verified"`
	}
	if err := json.Unmarshal(out.Bytes(), &report); err != nil || !report.Verified {
		t.Fatalf("copy report %q: %v", out.String(), err)
	}
	reported := map[string]int{}
	for _, tb := range report.Tables {
		reported[tb.Table] = tb.Rows
	}
	if diff := cmp.Diff(before, reported); diff != "" {
		t.Errorf("the copy's report differs from the source's rows (-source +report):\n%s", diff)
	}
	if diff := cmp.Diff(before, rowCounts(t, "pgx", to, env.Path)); diff != "" {
		t.Errorf("rows per table differ (-sqlite +postgres):\n%s", diff)
	}
	for _, table := range []string{"organizations", "products", "subscriptions", "seats", "oauth_clients", "oauth_consents", "oauth_refresh_tokens", "sessions"} {
		if before[table] == 0 {
			t.Errorf("the browser made no %s rows: %v", table, before)
		}
	}

	// A second server on the copy: the same issuer (replicas share it) and
	// the same clock, as the first would have after a restart.
	db, err := store.Open(context.Background(), to, store.Options{Now: env.Clock.Now, EncryptionKey: apptest.EncryptionKey})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := app.New(db, app.Options{Now: env.Clock.Now, Issuer: issuer, Password: apptest.FastPassword, Logger: discard})
	if err != nil {
		t.Fatal(err)
	}
	tsB := httptest.NewServer(cli.NewServer(svc, discard, issuer).Handler)
	defer tsB.Close()
	introB, infoB := answers(tsB.URL)
	if diff := cmp.Diff(introA, introB); diff != "" {
		t.Errorf("introspection differs (-sqlite +postgres copy):\n%s", diff)
	}
	if diff := cmp.Diff(infoA, infoB); diff != "" {
		t.Errorf("userinfo differs (-sqlite +postgres copy):\n%s", diff)
	}
}

// postJSON posts form with HTTP Basic client authentication and decodes
// the JSON answer, failing on any status but 200.
func postJSON(t *testing.T, u, user, pass string, form url.Values) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(user, pass) // client_… and cs_… need no form-encoding
	return doJSON(t, req)
}

// getJSON gets u with a bearer token and decodes the JSON answer.
func getJSON(t *testing.T, u, token string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return doJSON(t, req)
}

func doJSON(t *testing.T, req *http.Request) map[string]any {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %v %v", req.Method, req.URL.Path, res.StatusCode, v, err)
	}
	return v
}

// rowCounts counts the rows of every table of the SQLite file at
// sqlitePath (schema_migrations aside: each engine's migrations write
// their own) in the database dsn opens with driver.
func rowCounts(t *testing.T, driver, dsn, sqlitePath string) map[string]int {
	t.Helper()
	src, err := sql.Open("sqlite", "file:"+sqlitePath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rows, err := src.Query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	counts := map[string]int{}
	for _, table := range tables {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("count %s (%s): %v", table, driver, err)
		}
		counts[table] = n
	}
	return counts
}
