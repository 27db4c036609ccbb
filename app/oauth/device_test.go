package oauth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
)

// newDeviceFixture is a public CLI client allowed only the device grant
// (and refresh), with no redirect URI, and a customer user holding a seat
// of the product the CLI asks for.
func newDeviceFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, app.ClientInput{Name: "Acme CLI", AuthMethod: "none", RedirectURIs: []string{},
		GrantTypes:    []string{"device_code", "refresh_token"},
		AllowedScopes: []string{"openid", "email", "profile", "offline_access", "otomate-social-pro"}})
	svc, cli := f.env.Svc, app.CLI()
	if _, err := svc.CreateProduct(f.ctx, cli, app.ProductInput{Name: "Otomate Social - Pro", Slug: "otomate-social-pro",
		Features: []string{"Unlimited posts"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateSubscription(f.ctx, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "otomate-social-pro",
		TotalSeats: 5, PricePerSeat: "29.99", BillingCycle: "monthly", Status: "active"}); err != nil {
		t.Fatal(err)
	}
	f.conf.ClientSecret, f.conf.RedirectURL = "", ""
	f.conf.Endpoint.DeviceAuthURL = f.ts.URL + "/oauth/device_authorization"
	f.conf.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	f.conf.Scopes = []string{"openid", "email", "offline_access", "otomate-social-pro"}
	return f
}

// approveDevice enters the user code at /device as a signed-in browser
// would, checks the consent screen shows the code, and decides.
func (f *fixture) approveDevice(b *apptest.Browser, da *oauth2.DeviceAuthResponse, decision string) string {
	f.t.Helper()
	res, body := b.Get(strings.TrimPrefix(da.VerificationURIComplete, f.ts.URL))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `value="`+da.UserCode+`"`) || !strings.Contains(body, ">Continue<") {
		f.t.Fatalf("GET /device: %d\n%s", res.StatusCode, body)
	}
	res, body = b.PostForm("/device", url.Values{"user_code": {strings.ToLower(strings.ReplaceAll(da.UserCode, "-", ""))}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="consent-form"`) || !strings.Contains(body, da.UserCode) ||
		!strings.Contains(body, "Acme CLI") || !strings.Contains(body, `action="/device"`) {
		f.t.Fatalf("POST /device code: %d\n%s", res.StatusCode, body)
	}
	form := hiddenFields(f.t, body)
	form.Set("decision", decision)
	res, body = b.PostForm("/device", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="device-done"`) {
		f.t.Fatalf("POST /device decision: %d\n%s", res.StatusCode, body)
	}
	return body
}

// TestDeviceFlowWithOAuth2Library runs the device flow with x/oauth2's own
// DeviceAuth and DeviceAccessToken: the CLI gets the user's organization and
// products in its token and userinfo, like a web app.
func TestDeviceFlowWithOAuth2Library(t *testing.T) {
	f := newDeviceFixture(t)
	da, err := f.conf.DeviceAuth(f.ctx)
	if err != nil {
		t.Fatalf("DeviceAuth: %v", err)
	}
	if da.VerificationURI != f.ts.URL+"/device" || da.Interval != 5 || len(da.UserCode) != 9 || da.UserCode[4] != '-' ||
		da.VerificationURIComplete != f.ts.URL+"/device?user_code="+da.UserCode || time.Until(da.Expiry) < 9*time.Minute {
		t.Fatalf("device authorization %+v", da)
	}
	// Before the user answers, the device is told to wait.
	res, body := f.pollDevice(da.DeviceCode)
	wantOAuthError(t, res, body, http.StatusBadRequest, "authorization_pending")

	b := apptest.NewBrowser(t, f.ts)
	res2, _ := b.Get("/device?user_code=" + da.UserCode)
	if loc := res2.Header.Get("Location"); res2.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
		t.Fatalf("signed out /device: %d %q", res2.StatusCode, loc)
	}
	b.Login(f.user.User.Email)
	f.approveDevice(b, da, "approve")
	f.env.Clock.Advance(6 * time.Second)

	tok, err := f.conf.DeviceAccessToken(f.ctx, da)
	if err != nil {
		t.Fatalf("DeviceAccessToken: %v", err)
	}
	claims := accessClaims(t, tok.AccessToken)
	if claims["sub"] != f.user.User.ID || claims["organizationId"] == "" || claims["organizationId"] == nil {
		t.Errorf("access token claims %v", claims)
	}
	if got := productSlugs(claims["products"]); len(got) != 1 || got[0] != "otomate-social-pro" {
		t.Errorf("access token products %v", got)
	}
	if tok.RefreshToken == "" || tok.Extra("id_token") == nil || tok.Extra("scope") != "openid email offline_access otomate-social-pro" {
		t.Errorf("token %+v scope %v", tok, tok.Extra("scope"))
	}
	_, ui := f.userinfo(tok.AccessToken)
	if got := productSlugs(ui["products"]); len(got) != 1 || ui["organizationId"] != claims["organizationId"] {
		t.Errorf("userinfo %v", ui)
	}
	// Refresh works as for any other grant.
	next, err := f.conf.TokenSource(f.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil || next.AccessToken == "" {
		t.Fatalf("refresh: %v", err)
	}
	// The device code redeems once; presenting it again revokes what it gave.
	f.env.Clock.Advance(10 * time.Second)
	res, body = f.pollDevice(da.DeviceCode)
	wantOAuthError(t, res, body, http.StatusBadRequest, "invalid_grant")
	if _, err := f.conf.TokenSource(f.ctx, &oauth2.Token{RefreshToken: next.RefreshToken}).Token(); err == nil {
		t.Error("refresh token still works after the device code was replayed")
	}
}

func (f *fixture) pollDevice(deviceCode string) (*http.Response, map[string]any) {
	f.t.Helper()
	return f.post("/oauth/token", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"},
		"device_code": {deviceCode}, "client_id": {f.client.ClientID}}, nil)
}

// TestDevicePolling: slow_down is enforced (each adds 5 seconds to the
// interval), a denial reaches the device, an expired code says so.
func TestDevicePolling(t *testing.T) {
	f := newDeviceFixture(t)
	da, err := f.conf.DeviceAuth(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, body := f.pollDevice(da.DeviceCode)
	wantOAuthError(t, res, body, 400, "authorization_pending")
	f.env.Clock.Advance(2 * time.Second)
	res, body = f.pollDevice(da.DeviceCode)
	wantOAuthError(t, res, body, 400, "slow_down")
	// The interval is now 10 seconds: 6 seconds later is still too fast.
	f.env.Clock.Advance(6 * time.Second)
	res, body = f.pollDevice(da.DeviceCode)
	wantOAuthError(t, res, body, 400, "slow_down")
	f.env.Clock.Advance(15 * time.Second)
	res, body = f.pollDevice(da.DeviceCode)
	wantOAuthError(t, res, body, 400, "authorization_pending")

	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	f.approveDevice(b, da, "deny")
	f.env.Clock.Advance(20 * time.Second)
	res, body = f.pollDevice(da.DeviceCode)
	wantOAuthError(t, res, body, 400, "access_denied")
	// A decided code cannot be entered again.
	res2, page := b.PostForm("/device", url.Values{"user_code": {da.UserCode}})
	if res2.StatusCode != http.StatusBadRequest || !strings.Contains(page, "not valid or has expired") {
		t.Errorf("decided code entered again: %d", res2.StatusCode)
	}

	da2, err := f.conf.DeviceAuth(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.env.Clock.Advance(10*time.Minute + time.Second)
	res, body = f.pollDevice(da2.DeviceCode)
	wantOAuthError(t, res, body, 400, "expired_token")
	res2, _ = b.PostForm("/device", url.Values{"user_code": {da2.UserCode}})
	if res2.StatusCode != http.StatusBadRequest {
		t.Errorf("expired code entered: %d", res2.StatusCode)
	}
}

// TestDeviceConsentAlwaysShown: a remembered consent does not skip the
// consent screen of the device flow, since the request started elsewhere.
func TestDeviceConsentAlwaysShown(t *testing.T) {
	f := newDeviceFixture(t)
	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	for range 2 {
		da, err := f.conf.DeviceAuth(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		f.approveDevice(b, da, "approve") // fails unless the consent screen is shown
	}
}

// TestDeviceUserCodeThrottled: five wrong codes in 15 minutes, then even a
// right one is refused until the window passes.
func TestDeviceUserCodeThrottled(t *testing.T) {
	f := newDeviceFixture(t)
	da, err := f.conf.DeviceAuth(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	for _, wrong := range []string{"CDFG-HJKM", "XXXX", "CDFG-HJKN", "CDFG-HJKP", "CDFG-HJKQ"} {
		if wrong == da.UserCode {
			continue
		}
		if res, _ := b.PostForm("/device", url.Values{"user_code": {wrong}}); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("wrong code %s: %d", wrong, res.StatusCode)
		}
	}
	if res, _ := b.PostForm("/device", url.Values{"user_code": {da.UserCode}}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right code after five wrong ones: %d", res.StatusCode)
	}
	f.env.Clock.Advance(15 * time.Minute)
	da, err = f.conf.DeviceAuth(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.approveDevice(b, da, "approve")
}

// TestDeviceGrantPerClient: a client not allowed the device grant is
// refused at both endpoints.
func TestDeviceGrantPerClient(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	res, body := f.post("/oauth/device_authorization", url.Values{"scope": {"openid"}, "client_id": {f.client.ClientID},
		"client_secret": {f.client.ClientSecret}}, nil)
	wantOAuthError(t, res, body, 400, "unauthorized_client")
	res, body = f.post("/oauth/token", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"},
		"device_code": {"dc_x"}, "client_id": {f.client.ClientID}, "client_secret": {f.client.ClientSecret}}, nil)
	wantOAuthError(t, res, body, 400, "unauthorized_client")
}
