package cli_test

import (
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"optare/app"
	"optare/app/apptest"
	"optare/app/oidc"
)

// TestCLIChangesReachServerCaches warms every hot-path cache of a running
// service, then changes each cached thing with the optare binary — another
// process, as an operator would — and checks that the service's answer
// changes within a second: the other process's write moves the cache epoch
// (cache_version, polled on SQLite, NOTIFY on PostgreSQL).
func TestCLIChangesReachServerCaches(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "optare")
	if out, err := exec.Command("go", "build", "-o", bin, "../..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	env := apptest.New(t)
	env.Operator(t)
	user := env.Customer(t, "acme", "ada@example.com", app.RoleMember)
	ctx, svc, cli := context.Background(), env.Svc, app.CLI()
	if _, err := svc.CreateProduct(ctx, cli, app.ProductInput{Name: "Hot", Slug: "hot"}); err != nil {
		t.Fatal(err)
	}
	sub, err := svc.CreateSubscription(ctx, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "hot",
		TotalSeats: 10, PricePerSeat: "1", BillingCycle: app.CycleMonthly, AutoAssign: new(bool)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AssignSeat(ctx, cli, sub.ID, user.User.ID); err != nil {
		t.Fatal(err)
	}
	key, err := svc.CreateAPIKey(ctx, cli, app.APIKeyInput{OrganizationID: "acme", Name: "hot", Environment: "live"})
	if err != nil {
		t.Fatal(err)
	}
	client, err := svc.CreateClient(ctx, cli, app.ClientInput{Name: "Machine", GrantTypes: []string{oidc.GrantClientCredentials}})
	if err != nil {
		t.Fatal(err)
	}
	auth := oidc.ClientAuth{ClientID: client.ClientID, ClientSecret: client.ClientSecret, AuthMethod: oidc.AuthMethodSecretPost}
	tok, err := svc.Token(ctx, oidc.TokenRequest{GrantType: oidc.GrantClientCredentials, ClientAuth: auth}, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}

	licensed := func() bool {
		lic, err := svc.CheckLicense(ctx, cli, app.LicenseQuery{Product: "hot", UserID: user.User.ID})
		return err == nil && lic.Valid
	}
	keyWorks := func() bool {
		_, err := svc.AuthenticateAPI(ctx, app.BearerRequest(key.Key), key.Secret, "192.0.2.1")
		return err == nil
	}
	tokenWorks := func() bool {
		_, err := svc.VerifyAccessToken(ctx, tok.AccessToken)
		return err == nil
	}
	clientWorks := func() bool {
		_, err := svc.Token(ctx, oidc.TokenRequest{GrantType: oidc.GrantClientCredentials, ClientAuth: auth}, "192.0.2.1")
		return err == nil
	}
	jwks := func() string {
		b, err := svc.JWKS(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	before := jwks()
	keysSame := func() bool { return jwks() == before }
	for _, warm := range []func() bool{licensed, keyWorks, tokenWorks, clientWorks} {
		for range 2 { // the second answer comes from the caches
			if !warm() {
				t.Fatal("the warm-up request was refused")
			}
		}
	}

	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--db", env.Path}, args...)...)
		cmd.Env = append(os.Environ(), "OPTARE_ENCRYPTION_KEY="+hex.EncodeToString(apptest.EncryptionKey))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("optare %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// Each change must end what was cached as allowed, seen within a second.
	steps := []struct {
		name  string
		args  []string
		still func() bool
	}{
		{"seat unassign → licence refused", []string{"seat", "unassign", sub.ID, "--user", user.User.ID}, licensed},
		{"apikey revoke → key refused", []string{"apikey", "revoke", key.ID}, keyWorks},
		{"client disable → its access token refused", []string{"client", "disable", client.ClientID}, tokenWorks},
		{"client disable → client authentication refused", nil, clientWorks},
		{"keys rotate → key set changed", []string{"keys", "rotate"}, keysSame},
	}
	for _, s := range steps {
		if s.args != nil {
			run(s.args...)
		}
		start := time.Now()
		for s.still() {
			if time.Since(start) > time.Second {
				t.Fatalf("%s: still cached after 1 s", s.name)
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Logf("%s: seen after %v", s.name, time.Since(start).Round(time.Millisecond))
	}
}
