package oauth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/net/html"
	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
)

const callback = "https://app.example.com/callback"

// fixture is a running server with an operator, a customer user and a
// confidential client, and a relying party configured against it.
type fixture struct {
	t      testing.TB
	env    *apptest.Env
	ts     *httptest.Server
	ctx    context.Context
	client app.ClientWithSecret
	user   app.Account
	conf   *oauth2.Config
}

func newFixture(t testing.TB, in app.ClientInput, opts ...apptest.Option) *fixture {
	t.Helper()
	env := apptest.New(t, opts...)
	env.Operator(t)
	user := env.Customer(t, "acme", "ada@example.com", app.RoleMember)
	if in.Name == "" {
		in.Name = "Acme Dashboard"
	}
	if in.RedirectURIs == nil {
		in.RedirectURIs = []string{callback}
	}
	c, err := env.Svc.CreateClient(context.Background(), app.CLI(), in)
	if err != nil {
		t.Fatalf("create client: %v", err)
	}
	ts := env.Server(t)
	f := &fixture{t: t, env: env, ts: ts, client: c, user: user,
		ctx: oidc.ClientContext(context.Background(), ts.Client())}
	f.conf = &oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: callback,
		Endpoint: oauth2.Endpoint{AuthURL: ts.URL + "/oauth/authorize", TokenURL: ts.URL + "/oauth/token"},
		Scopes:   []string{"openid", "email", "profile"}}
	return f
}

// authorize runs the browser part of the flow for authURL: sign in when
// asked, approve (or deny) on the consent screen when shown, and return the
// query the client's callback receives.
func (f *fixture) authorize(b *apptest.Browser, authURL, decision string) url.Values {
	f.t.Helper()
	next := strings.TrimPrefix(authURL, f.ts.URL)
	for range 5 {
		res, body := b.Get(next)
		switch {
		case res.StatusCode == http.StatusOK && strings.Contains(body, `id="consent-form"`):
			form := hiddenFields(f.t, body)
			form.Set("decision", decision)
			res, body = b.PostForm("/oauth/authorize", form)
			if res.StatusCode != http.StatusSeeOther {
				f.t.Fatalf("consent POST: %d\n%s", res.StatusCode, body)
			}
			return callbackQuery(f.t, res.Header.Get("Location"))
		case res.StatusCode != http.StatusSeeOther:
			f.t.Fatalf("GET %s: %d\n%s", next, res.StatusCode, body)
		}
		loc := res.Header.Get("Location")
		if strings.HasPrefix(loc, callback) {
			return callbackQuery(f.t, loc)
		}
		if strings.HasPrefix(loc, "/login") {
			u, _ := url.Parse(loc)
			res, body := b.PostForm("/login", url.Values{"email": {f.user.User.Email}, "password": {apptest.Password},
				"next": {u.Query().Get("next")}})
			if res.StatusCode != http.StatusSeeOther {
				f.t.Fatalf("login: %d\n%s", res.StatusCode, body)
			}
			loc = res.Header.Get("Location")
		}
		next = loc
	}
	f.t.Fatalf("authorization did not reach the callback")
	return nil
}

func callbackQuery(t testing.TB, loc string) url.Values {
	t.Helper()
	if !strings.HasPrefix(loc, callback+"?") {
		t.Fatalf("redirect to %q, want the callback", loc)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func hiddenFields(t testing.TB, body string) url.Values {
	t.Helper()
	form := url.Values{}
	for _, n := range apptest.FindAll(t, body, func(n *html.Node) bool {
		return n.Data == "input" && apptest.Attr(n, "type") == "hidden"
	}) {
		form.Add(apptest.Attr(n, "name"), apptest.Attr(n, "value"))
	}
	return form
}

// code runs the flow with PKCE S256 and returns the code and verifier.
func (f *fixture) code(b *apptest.Browser, opts ...oauth2.AuthCodeOption) (string, string) {
	f.t.Helper()
	verifier := oauth2.GenerateVerifier()
	q := f.authorize(b, f.conf.AuthCodeURL("st-1", append(opts, oauth2.S256ChallengeOption(verifier))...), "approve")
	if q.Get("code") == "" || q.Get("state") != "st-1" || q.Get("iss") != f.ts.URL {
		f.t.Fatalf("callback query %v", q)
	}
	return q.Get("code"), verifier
}

// tokens runs the whole flow and exchanges the code.
func (f *fixture) tokens() *oauth2.Token {
	f.t.Helper()
	code, verifier := f.code(apptest.NewBrowser(f.t, f.ts))
	tok, err := f.conf.Exchange(f.ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		f.t.Fatalf("exchange: %v", err)
	}
	return tok
}

// post sends a form to path and decodes the JSON answer.
func (f *fixture) post(path string, form url.Values, header http.Header) (*http.Response, map[string]any) {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	return f.do(req)
}

func (f *fixture) do(req *http.Request) (*http.Response, map[string]any) {
	f.t.Helper()
	res, err := f.ts.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out map[string]any
	if len(b) > 0 && strings.Contains(res.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(b, &out); err != nil {
			f.t.Fatalf("decode %s: %v", b, err)
		}
	}
	return res, out
}

// userinfo calls the userinfo endpoint with a bearer token.
func (f *fixture) userinfo(token string) (*http.Response, map[string]any) {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/oauth/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return f.do(req)
}

// wantOAuthError checks an error answer's status and code.
func wantOAuthError(t testing.TB, res *http.Response, body map[string]any, status int, code string) {
	t.Helper()
	if res.StatusCode != status || body["error"] != code {
		t.Fatalf("got %d %v, want %d %s", res.StatusCode, body, status, code)
	}
}

var b64 = base64.RawURLEncoding
