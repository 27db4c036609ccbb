package oauth_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"optare/app"
	"optare/app/oidc"
	"optare/store"
)

// TestRefreshConcurrentUses refreshes several token chains at once, their
// first writes in one group commit: distinct chains all rotate, each step
// committed; a token presented twice at the same moment (both requests
// read it unused) gives exactly one rotation and one reuse, which revokes
// the family, the winner's new tokens included.
func TestRefreshConcurrentUses(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	const chains, steps, raced = 4, 5, 2
	var start []string
	for range chains + raced {
		start = append(start, f.tokens().RefreshToken)
	}
	refresh := func(token string) (status int, res map[string]any, err error) {
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token},
			"client_id": {f.client.ClientID}, "client_secret": {f.client.ClientSecret}}
		r, err := f.ts.Client().PostForm(f.ts.URL+"/oauth/token", form)
		if err != nil {
			return 0, nil, err
		}
		defer r.Body.Close()
		b, err := io.ReadAll(r.Body)
		if err == nil {
			err = json.Unmarshal(b, &res)
		}
		return r.StatusCode, res, err
	}

	type answer struct {
		status        int
		refresh, code string
		access        string
	}
	last := make([]answer, chains) // the last answer of each chain
	raceAnswers := make([][2]answer, raced)
	errs := make(chan error, chains*steps+2*raced)
	var ready, wg sync.WaitGroup
	gate := make(chan struct{})
	for c := range chains {
		ready.Add(1)
		wg.Go(func() {
			ready.Done()
			<-gate
			token := start[c]
			for s := range steps {
				status, res, err := refresh(token)
				if err != nil || status != 200 {
					errs <- fmt.Errorf("chain %d step %d: %d %v %v", c, s, status, res, err)
					return
				}
				token = res["refresh_token"].(string)
				last[c] = answer{status: status, refresh: token, access: res["access_token"].(string)}
			}
		})
	}
	for r := range raced {
		for k := range 2 {
			ready.Add(1)
			wg.Go(func() {
				ready.Done()
				<-gate
				status, res, err := refresh(start[chains+r])
				if err != nil {
					errs <- err
					return
				}
				a := answer{status: status}
				if status == 200 {
					a.refresh, a.access = res["refresh_token"].(string), res["access_token"].(string)
				} else {
					a.code, _ = res["error"].(string)
				}
				raceAnswers[r][k] = a
			})
		}
	}
	// Hold the writer until the first request of every chain and both
	// requests of every race have read and queued their write: each pair
	// then read its token unused, and the write alone can tell them apart.
	held, release := make(chan struct{}), make(chan struct{})
	go f.env.DB.Write(context.Background(), func(*store.Tx) error {
		close(held)
		<-release
		return nil
	})
	<-held
	ready.Wait()
	close(gate)
	for deadline := time.Now().Add(10 * time.Second); f.env.DB.GroupPending() < chains+2*raced; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			close(release)
			t.Fatalf("%d writes queued, want %d", f.env.DB.GroupPending(), chains+2*raced)
		}
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}

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
	for c := range chains {
		first, now := family(start[c]), family(last[c].refresh)
		if first.Token.UsedAt.IsZero() || !now.Token.UsedAt.IsZero() || now.Grant.ID != first.Grant.ID || !now.Grant.RevokedAt.IsZero() {
			t.Errorf("chain %d: first token used %v, last token used %v, grant revoked %v", c,
				first.Token.UsedAt, now.Token.UsedAt, now.Grant.RevokedAt)
		}
		if res, _ := f.userinfo(last[c].access); res.StatusCode != 200 {
			t.Errorf("chain %d: last access token: %d", c, res.StatusCode)
		}
	}
	for r, pair := range raceAnswers {
		won, lost := pair[0], pair[1]
		if won.status != 200 {
			won, lost = lost, won
		}
		if won.status != 200 || lost.status != 400 || lost.code != "invalid_grant" {
			t.Errorf("race %d: answers %+v: want one rotation and one invalid_grant", r, pair)
			continue
		}
		if g := family(won.refresh).Grant; g.RevokedAt.IsZero() || g.RevokedReason != "refresh_reuse" {
			t.Errorf("race %d: family not revoked for reuse: %+v", r, g)
		}
		if status, _, _ := refresh(won.refresh); status != 400 {
			t.Errorf("race %d: the winner's new refresh token after the reuse: %d", r, status)
		}
		if res, _ := f.userinfo(won.access); res.StatusCode != 401 {
			t.Errorf("race %d: the winner's access token after the reuse: %d", r, res.StatusCode)
		}
	}
	page, err := f.env.Svc.ListAudit(context.Background(), app.CLI(), app.AuditQuery{Action: "token.reuse_detected"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != raced {
		t.Errorf("%d reuse audit entries, want %d", len(page.Entries), raced)
	}
	for _, e := range page.Entries {
		if !slices.ContainsFunc(start[chains:], func(tok string) bool { return family(tok).Grant.ID == e.TargetID }) {
			t.Errorf("reuse audited for grant %s, not a raced one", e.TargetID)
		}
	}
}
