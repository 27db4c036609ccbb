package oauth_test

import (
	"net/http"
	"testing"
	"time"

	"optare/app"
)

// TestOrganizationLimitCoversUserTokens: the guide's per-organization limit
// counts every REST request of the organization, users' access tokens as
// well as API keys, and an operator's override of it applies to both.
func TestOrganizationLimitCoversUserTokens(t *testing.T) {
	limits := app.Limits{PerCredential: app.RateLimit{Limit: 100, Window: time.Minute}, PerOrganization: app.RateLimit{Limit: 3, Window: time.Hour},
		AuthFailuresPerIP: app.DefaultLimits.AuthFailuresPerIP, Anonymous: app.DefaultLimits.Anonymous}
	f := newFixture(t, app.ClientInput{}, func(o *app.Options) { o.Limits = limits })
	token := f.tokens().AccessToken
	me := func() *http.Response {
		t.Helper()
		res, _ := f.get("/v1/users/me", token)
		return res
	}
	for i := range 3 {
		if res := me(); res.StatusCode != 200 {
			t.Fatalf("request %d: %d", i+1, res.StatusCode)
		}
	}
	if res := me(); res.StatusCode != 429 || res.Header.Get("RateLimit-Limit") != "3" || res.Header.Get("Retry-After") == "" {
		t.Fatalf("4th request at the organization's default: %d %v", res.StatusCode, res.Header)
	}
	if _, err := f.env.Svc.SetOrganizationRateLimit(f.ctx, app.CLI(), "acme", 10); err != nil {
		t.Fatal(err)
	}
	res := me()
	if res.StatusCode != 200 || res.Header.Get("RateLimit-Limit") != "10" {
		t.Fatalf("after raising the organization: %d %v", res.StatusCode, res.Header)
	}
}
