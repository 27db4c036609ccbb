package apptest

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"optare/app/cli"
)

// Server starts the whole Optare handler (every door, all middleware) on a
// real loopback listener, with the listener's URL as issuer.
func (e *Env) Server(t testing.TB) *httptest.Server {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	ts.Start()
	srv := cli.NewServer(e.Svc, slog.New(slog.NewTextHandler(io.Discard, nil)), ts.URL)
	ts.Config.Handler = srv.Handler
	t.Cleanup(ts.Close)
	return ts
}

// Browser is an HTTP client with a cookie jar that does not follow
// redirects, so tests see each step.
type Browser struct {
	T      testing.TB
	Client *http.Client
	Base   string
}

// NewBrowser returns a fresh cookie-keeping client for ts.
func NewBrowser(t testing.TB, ts *httptest.Server) *Browser {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Browser{T: t, Client: c, Base: ts.URL}
}

// Get fetches path and returns the response with its body read.
func (b *Browser) Get(path string) (*http.Response, string) {
	b.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.Base+path, nil)
	return b.Do(req)
}

// PostForm posts a form as a same-origin browser would (Origin and
// Sec-Fetch-Site set).
func (b *Browser) PostForm(path string, form url.Values) (*http.Response, string) {
	b.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.Base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.Do(req)
}

// Do sends req and reads the body.
func (b *Browser) Do(req *http.Request) (*http.Response, string) {
	b.T.Helper()
	res, err := b.Client.Do(req)
	if err != nil {
		b.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.T.Fatal(err)
	}
	return res, string(body)
}

// Login signs in with email and the test password and fails the test if it
// does not redirect.
func (b *Browser) Login(email string) {
	b.T.Helper()
	res, body := b.PostForm("/login", url.Values{"email": {email}, "password": {Password}})
	if res.StatusCode != http.StatusSeeOther {
		b.T.Fatalf("login %s: status %d\n%s", email, res.StatusCode, body)
	}
}

// Find returns the first element of an HTML document matching pred, or nil.
func Find(t testing.TB, doc string, pred func(*html.Node) bool) *html.Node {
	t.Helper()
	all := FindAll(t, doc, pred)
	if len(all) == 0 {
		return nil
	}
	return all[0]
}

// FindAll returns every element of an HTML document matching pred.
func FindAll(t testing.TB, doc string, pred func(*html.Node) bool) []*html.Node {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && pred(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}

// Attr is the value of an attribute of n ("" when absent).
func Attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// Input matches <input name=name>.
func Input(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == "input" && Attr(n, "name") == name }
}

// ByID matches the element with this id.
func ByID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return Attr(n, "id") == id }
}
