package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"optare/app"
	"optare/app/apptest"
	"optare/app/cli"
	"optare/views"
)

// localhostServer serves env on a loopback listener under the name
// localhost: a WebAuthn relying-party id must be a domain, not an address.
func localhostServer(t *testing.T, env *apptest.Env) string {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	ts.Start()
	t.Cleanup(ts.Close)
	base := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
	ts.Config.Handler = cli.NewServer(env.Svc, slog.New(slog.NewTextHandler(io.Discard, nil)), base).Handler
	return base
}

// addAuthenticator gives the tab Chromium's virtual platform authenticator:
// resident keys and user verification, presence confirmed automatically.
func addAuthenticator(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "add a virtual authenticator", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, webauthn.Enable, webauthn.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
			Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2,
				Ctap2version: webauthn.Ctap2versionCtap21, Transport: webauthn.AuthenticatorTransportInternal,
				HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true}})
		return err
	}))
}

// TestPasskeyInBrowser: add a passkey on the account page, sign out, sign in
// with it without typing an email or password, remove it.
func TestPasskeyInBrowser(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "pia@acme.test", app.RoleMember)
	base := localhostServer(t, env)
	ctx := newBrowser(t)
	addAuthenticator(t, ctx)

	signIn(t, ctx, base, "pia@acme.test", apptest.Password)
	run(t, ctx, "add a passkey",
		chromedp.Navigate(base+"/portal/account"),
		chromedp.WaitVisible(chromedp.ID(views.PasskeyAddFormID)),
		chromedp.SendKeys(chromedp.ID("passkey_name"), "Laptop"),
		chromedp.Click(chromedp.CSS("#"+views.PasskeyAddFormID+" button")),
		chromedp.WaitVisible(chromedp.CSS(".flash p")),
	)
	screenshot(t, ctx, "passkey-added")
	if flash := get(t, ctx, "flash", chromedp.Text(chromedp.CSS(".flash p"))); !strings.Contains(flash, "Laptop") {
		t.Fatalf("flash = %q", flash)
	}
	rows := get(t, ctx, "passkey rows", chromedp.Evaluate[int](`document.querySelectorAll('#passkeys tbody tr').length`))
	if rows != 1 {
		t.Fatalf("%d passkey rows, want 1", rows)
	}

	signOut := func(waitFor string) {
		run(t, ctx, "sign out",
			chromedp.Navigate(base+"/logout"),
			chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
			chromedp.WaitVisible(chromedp.CSS(waitFor)),
		)
	}
	// Conditional UI: the login page asks for the user's passkey in the
	// email field's autofill; the virtual authenticator answers at once, so
	// the browser lands on the dashboard without a click.
	signOut(`.section-nav`)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.HasSuffix(get(t, ctx, "location", chromedp.Location()), "/portal/dashboard") {
		if time.Now().After(deadline) {
			t.Fatal("conditional passkey sign-in did not happen")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The button, with the autofill request turned off in this tab so the
	// click alone signs in.
	run(t, ctx, "turn conditional UI off", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `PublicKeyCredential.isConditionalMediationAvailable = undefined;`})
		return err
	}))
	signOut(`#` + views.LoginFormID)
	if ac := get(t, ctx, "email autocomplete", chromedp.Evaluate[string](`document.querySelector('input[name=email]').autocomplete`)); ac != "username webauthn" {
		t.Fatalf("email field autocomplete %q", ac)
	}
	run(t, ctx, "sign in with a passkey",
		chromedp.Click(chromedp.CSS(`button[data-passkey-signin]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
	)
	if loc := get(t, ctx, "location", chromedp.Location()); !strings.HasSuffix(loc, "/portal/dashboard") {
		t.Fatalf("after passkey sign-in at %s", loc)
	}
	audit, err := env.Svc.ListAudit(context.Background(), app.CLI(), app.AuditQuery{Action: "auth.passkey"})
	if err != nil || len(audit.Entries) != 2 || audit.Entries[0].Outcome != app.OutcomeSuccess {
		t.Fatalf("passkey sign-in audit: %+v %v", audit.Entries, err)
	}

	run(t, ctx, "remove the passkey",
		chromedp.Navigate(base+"/portal/account"),
		chromedp.WaitVisible(chromedp.ID(views.PasskeysID)),
	)
	if used := get(t, ctx, "last used", chromedp.Text(chromedp.CSS("#passkeys tbody td:nth-child(3)"))); used == "never" {
		t.Fatal("last use not recorded")
	}
	// Remove asks first, naming the passkey: a page without JavaScript, a
	// dialog with htmx.
	confirmURL := get(t, ctx, "remove link", chromedp.Evaluate[string](`document.querySelector('#passkeys a.danger[href$="/remove"]').getAttribute('href')`))
	run(t, ctx, "the confirmation page", chromedp.Navigate(base+confirmURL), chromedp.WaitVisible(chromedp.CSS(`form[action="`+confirmURL+`"] button.danger`)))
	if asked := get(t, ctx, "confirmation page", chromedp.Text(chromedp.CSS(`main h1`))); !strings.Contains(asked, "Remove the passkey Laptop?") {
		t.Errorf("confirmation page asked %q", asked)
	}
	run(t, ctx, "remove",
		chromedp.Navigate(base+"/portal/account"),
		chromedp.WaitVisible(chromedp.ID(views.PasskeysID)),
		chromedp.Click(chromedp.CSS(`#passkeys a.danger[href$="/remove"]`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] .confirm`)),
	)
	if asked := get(t, ctx, "confirmation", chromedp.Text(chromedp.CSS(`dialog[open] h1`))); !strings.Contains(asked, "Remove the passkey Laptop?") {
		t.Errorf("removing asked %q", asked)
	}
	if rows := get(t, ctx, "passkey rows", chromedp.Evaluate[int](`document.querySelectorAll('#passkeys tbody tr').length`)); rows != 1 {
		t.Fatalf("%d passkey rows while asking, want 1", rows)
	}
	run(t, ctx, "confirm",
		chromedp.Click(chromedp.CSS(`dialog[open] button.danger`)),
		chromedp.WaitVisible(chromedp.CSS(".flash p")),
	)
	if rows := get(t, ctx, "passkey rows", chromedp.Evaluate[int](`document.querySelectorAll('#passkeys tbody tr').length`)); rows != 0 {
		t.Fatalf("%d passkey rows after removal", rows)
	}
}
