package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

// callbackRecorder is a client app's redirect URI: it records the query
// each visit brings and shows a page the browser test can wait for.
type callbackRecorder struct {
	mu      sync.Mutex
	queries []url.Values
}

func (c *callbackRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/callback" { // the browser also asks for /favicon.ico
		http.NotFound(w, r)
		return
	}
	c.mu.Lock()
	c.queries = append(c.queries, r.URL.Query())
	c.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(`<!DOCTYPE html><title>callback</title><p id="callback-done">back in the app</p>`))
}

func (c *callbackRecorder) last() url.Values {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queries) == 0 {
		return nil
	}
	return c.queries[len(c.queries)-1]
}

// TestOAuthConsentInBrowser drives the authorization code flow in Chromium:
// sign in, the consent screen, Authorize lands on the app's callback with a
// code; asked again, Deny lands there with error=access_denied.
func TestOAuthConsentInBrowser(t *testing.T) {
	ctx := newBrowser(t)
	env := apptest.New(t)
	env.Operator(t)
	user := env.Customer(t, "acme", "ada@example.com", app.RoleMember)
	rec := &callbackRecorder{}
	cb := httptest.NewServer(rec)
	defer cb.Close()
	client, err := env.Svc.CreateClient(context.Background(), app.CLI(), app.ClientInput{Name: "Acme Dashboard",
		RedirectURIs: []string{cb.URL + "/callback"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	q := url.Values{"client_id": {client.ClientID}, "redirect_uri": {cb.URL + "/callback"}, "response_type": {"code"},
		"scope": {"openid email profile"}, "state": {"st-browser"}}

	run(t, ctx, "open the authorization URL and sign in",
		chromedp.Navigate(ts.URL+"/oauth/authorize?"+q.Encode()),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), user.User.Email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), apptest.Password),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.ID(views.ConsentFormID)),
	)
	screenshot(t, ctx, "consent")
	scopes := get(t, ctx, "read scopes", chromedp.Text(chromedp.ID(views.ConsentScopesID)))
	if scopes == "" {
		t.Fatal("consent screen lists no scopes")
	}
	run(t, ctx, "authorize",
		chromedp.Click(chromedp.CSS(`button[value=approve]`)),
		chromedp.WaitVisible(chromedp.ID("callback-done")),
	)
	if got := rec.last(); got.Get("code") == "" || got.Get("state") != "st-browser" || got.Get("iss") != ts.URL {
		t.Fatalf("callback after Authorize: %v", got)
	}

	q.Set("prompt", "consent")
	run(t, ctx, "ask again and deny",
		chromedp.Navigate(ts.URL+"/oauth/authorize?"+q.Encode()),
		chromedp.WaitVisible(chromedp.ID(views.ConsentFormID)),
		chromedp.Click(chromedp.CSS(`button[value=deny]`)),
		chromedp.WaitVisible(chromedp.ID("callback-done")),
	)
	if got := rec.last(); got.Get("error") != "access_denied" || got.Get("state") != "st-browser" || got.Get("code") != "" {
		t.Fatalf("callback after Deny: %v", got)
	}
}
