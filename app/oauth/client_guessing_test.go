package oauth_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"optare/app"
)

// TestClientSecretGuessingBounded: failed client authentications at
// /oauth/token are throttled per client_id (and per address for unknown
// ones) and collapse into one audit entry per source, client and minute,
// so guessing cannot grow the log by a row per request.
func TestClientSecretGuessingBounded(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	limit := app.DefaultLimits.AuthFailuresPerIP.Limit
	try := func(clientID, secret string) int {
		res, _ := f.post("/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}, nil)
		return res.StatusCode
	}
	for i := range 3 * limit {
		code := try(f.client.ClientID, "wrong-secret")
		if want := http.StatusUnauthorized; i >= limit {
			if code != http.StatusTooManyRequests {
				t.Fatalf("attempt %d: %d, want 429", i, code)
			}
		} else if code != want {
			t.Fatalf("attempt %d: %d, want %d", i, code, want)
		}
		try("client_unknown", "x")
	}
	p, err := f.env.Svc.ListAudit(context.Background(), app.CLI(), app.AuditQuery{Action: "client.auth_failed", Limit: app.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, e := range p.Entries {
		total += e.Count
	}
	if len(p.Entries) > 4 || total != 6*limit {
		t.Fatalf("%d audit entries counting %d attempts; want at most 4 counting %d", len(p.Entries), total, 6*limit)
	}
}
