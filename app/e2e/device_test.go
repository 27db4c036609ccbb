package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

// TestDeviceFlowInBrowser: a CLI (x/oauth2's device flow, polling in the
// background) shows a code; the user enters it at /device in Chromium,
// confirms on the consent screen, and the CLI receives tokens carrying the
// user's products.
func TestDeviceFlowInBrowser(t *testing.T) {
	ctx := newBrowser(t)
	env := apptest.New(t)
	env.Operator(t)
	user := env.Customer(t, "acme", "ada@example.com", app.RoleMember)
	bg, cli := context.Background(), app.CLI()
	if _, err := env.Svc.CreateProduct(bg, cli, app.ProductInput{Name: "Otomate Social - Pro", Slug: "otomate-social-pro"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.CreateSubscription(bg, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "otomate-social-pro",
		TotalSeats: 5, PricePerSeat: "10", BillingCycle: "monthly", Status: "active"}); err != nil {
		t.Fatal(err)
	}
	client, err := env.Svc.CreateClient(bg, cli, app.ClientInput{Name: "Otomate CLI", AuthMethod: "none",
		GrantTypes: []string{"device_code"}, AllowedScopes: []string{"openid", "email", "otomate-social-pro"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	// The server's clock follows real time, as the CLI's polling does.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		last := time.Now()
		for {
			select {
			case <-stop:
				return
			case now := <-tick.C:
				// By real elapsed time: a loaded machine drops ticks.
				env.Clock.Advance(now.Sub(last))
				last = now
			}
		}
	}()

	conf := &oauth2.Config{ClientID: client.ClientID, Scopes: []string{"openid", "email", "otomate-social-pro"},
		Endpoint: oauth2.Endpoint{DeviceAuthURL: ts.URL + "/oauth/device_authorization", TokenURL: ts.URL + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams}}
	da, err := conf.DeviceAuth(bg)
	if err != nil {
		t.Fatalf("DeviceAuth: %v", err)
	}
	type result struct {
		tok *oauth2.Token
		err error
	}
	got := make(chan result, 1)
	pollCtx, cancel := context.WithTimeout(bg, 3*time.Minute)
	defer cancel()
	go func() {
		tok, err := conf.DeviceAccessToken(pollCtx, da)
		got <- result{tok, err}
	}()

	signIn(t, ctx, ts.URL, user.User.Email, apptest.Password)
	run(t, ctx, "enter the code at /device",
		chromedp.Navigate(da.VerificationURI),
		chromedp.WaitVisible(chromedp.ID(views.DeviceFormID)),
		chromedp.SendKeys(chromedp.ID("user_code"), strings.ToLower(da.UserCode)),
		chromedp.Click(chromedp.CSS("#"+views.DeviceFormID+" button")),
		chromedp.WaitVisible(chromedp.ID(views.ConsentFormID)),
	)
	screenshot(t, ctx, "device-consent")
	if shown := get(t, ctx, "read the code", chromedp.Text(chromedp.ID(views.DeviceUserCodeID))); shown != da.UserCode {
		t.Fatalf("consent shows code %q, device shows %q", shown, da.UserCode)
	}
	run(t, ctx, "authorize",
		chromedp.Click(chromedp.CSS(`button[value=approve]`)),
		chromedp.WaitVisible(chromedp.ID("device-done")),
	)
	r := <-got
	if r.err != nil {
		t.Fatalf("DeviceAccessToken: %v", r.err)
	}
	parts := strings.Split(r.tok.AccessToken, ".")
	if len(parts) != 3 {
		t.Fatalf("access token %q", r.tok.AccessToken)
	}
	payload, err := jsonPart(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(payload), `"products":["otomate-social-pro"]`) || !strings.Contains(string(payload), user.User.ID) {
		t.Fatalf("access token claims %s", payload)
	}
}

func jsonPart(s string) (json.RawMessage, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return json.RawMessage(b), err
}
