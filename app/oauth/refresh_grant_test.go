package oauth_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"optare/app"
	"optare/app/oidc"
	"optare/store"
)

// TestRefreshGrantOutlivesTokens checks the rule that lets most rotations
// skip writing the grant: whatever the time between refreshes, the grant
// never expires before the newest refresh token of its family, and a
// refresh that finds it long-lived enough leaves its expiry alone.
func TestRefreshGrantOutlivesTokens(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	token := f.tokens().RefreshToken
	family := func(token string) store.RefreshFamily {
		t.Helper()
		var fam store.RefreshFamily
		err := f.env.DB.ReadOne(context.Background(), func(tx *store.Tx) (err error) {
			fam, err = tx.RefreshFamily(context.Background(), oidc.HashSecret(token))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return fam
	}
	prev := family(token).Grant.ExpiresAt
	// Refresh after a minute (extends: the code exchange left exactly the
	// token's lifetime), after an hour (within the slack: unchanged), then
	// after two days (extends again).
	for i, step := range []struct {
		wait    time.Duration
		extends bool
	}{{time.Minute, true}, {time.Hour, false}, {48 * time.Hour, true}} {
		f.env.Clock.Advance(step.wait)
		res, body := f.tokenRequest(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}})
		if res.StatusCode != 200 {
			t.Fatalf("refresh %d: status %d %v", i, res.StatusCode, body)
		}
		token = body["refresh_token"].(string)
		fam := family(token)
		if fam.Grant.ExpiresAt.Before(fam.Token.ExpiresAt) {
			t.Errorf("refresh %d: grant expires %v before its newest token %v", i, fam.Grant.ExpiresAt, fam.Token.ExpiresAt)
		}
		if extended := !fam.Grant.ExpiresAt.Equal(prev); extended != step.extends {
			t.Errorf("refresh %d: grant expiry %v -> %v, extended %v, want %v", i, prev, fam.Grant.ExpiresAt, extended, step.extends)
		}
		prev = fam.Grant.ExpiresAt
	}
}
