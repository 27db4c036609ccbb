package cli_test

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"optare/app"
	"optare/app/apptest"
)

// TestLicenseVerifyExitCodes verifies real tokens from the service against
// the served JWKS (URL) and a saved copy (file), one exit code per verdict.
func TestLicenseVerifyExitCodes(t *testing.T) {
	env := apptest.New(t)
	// The test database's signing keys are encrypted with the test key.
	t.Setenv("OPTARE_ENCRYPTION_KEY", base64.StdEncoding.EncodeToString(apptest.EncryptionKey))
	ctx := context.Background()
	env.Operator(t)
	member := env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	ts := env.Server(t)
	oneHour, twoHours := 3600, 7200
	if _, err := env.Svc.CreateProduct(ctx, app.CLI(), app.ProductInput{Name: "Alpha", Slug: "alpha", Features: []string{"F"},
		LicenseCheckIn: oneHour, LicenseGrace: twoHours}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.CreateSubscription(ctx, app.CLI(), app.SubscriptionInput{OrganizationID: "acme", ProductID: "alpha",
		TotalSeats: 2, BillingCycle: "monthly", Status: "active"}); err != nil {
		t.Fatal(err)
	}
	// verify runs on the wall clock: issue tokens at times relative to it.
	issueAt := func(ago time.Duration) string {
		env.Clock.Advance(time.Now().Add(-ago).Sub(env.Clock.Now()))
		tok, err := env.Svc.IssueLicenseToken(ctx, app.CLI(), app.LicenseTokenRequest{Product: "alpha", UserID: member.User.ID, Fingerprint: "host-1"})
		if err != nil || tok.Token == "" {
			t.Fatalf("issue: %+v %v", tok, err)
		}
		return tok.Token
	}
	fresh, grace, expired := issueAt(0), issueAt(90*time.Minute), issueAt(4*time.Hour)
	env.Clock.Advance(time.Since(env.Clock.Now()))
	jwksFile := filepath.Join(t.TempDir(), "jwks.json")
	_, body := apptest.NewBrowser(t, ts).Get("/.well-known/jwks.json")
	if err := os.WriteFile(jwksFile, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	url := ts.URL + "/.well-known/jwks.json"
	tampered := fresh[:len(fresh)-4] + strings.Map(func(r rune) rune { return 'A' + (r-'A'+1)%26 }, "AAAA")
	cases := []struct {
		name  string
		args  []string
		code  int
		words string
	}{
		{"valid via URL", []string{fresh, "--jwks", url, "--product", "alpha", "--fingerprint", "host-1"}, 0, "valid (alpha"},
		{"valid via file, no machine", []string{fresh, "--jwks", jwksFile, "--product", "alpha"}, 0, "valid"},
		{"in grace", []string{grace, "--jwks", jwksFile, "--product", "alpha"}, 3, "in grace"},
		{"expired", []string{expired, "--jwks", jwksFile, "--product", "alpha"}, 4, "expired"},
		{"wrong product", []string{fresh, "--jwks", jwksFile, "--product", "beta"}, 5, "wrong product"},
		{"wrong machine", []string{fresh, "--jwks", jwksFile, "--product", "alpha", "--fingerprint", "host-2"}, 6, "wrong machine"},
		{"tampered", []string{tampered, "--jwks", jwksFile, "--product", "alpha"}, 7, "invalid"},
		{"no product", []string{fresh, "--jwks", jwksFile}, 2, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, "", append([]string{"license", "verify"}, c.args...)...)
			if code != c.code || !strings.HasPrefix(out, c.words) {
				t.Fatalf("exit %d, want %d\n%s%s", code, c.code, out, errOut)
			}
		})
	}
	p := decode(t, mustRun(t, "--db", env.Path, "--json", "product", "update", "alpha", "--license-check-in", "2h", "--license-grace", "30m"))
	if p["license_check_in_seconds"] != 7200.0 || p["license_grace_seconds"] != 1800.0 {
		t.Fatalf("product update: %v", p)
	}
	out := decode(t, mustRun(t, "--json", "license", "verify", fresh, "--jwks", jwksFile, "--product", "alpha"))
	if out["verdict"] != "valid" || out["claims"].(map[string]any)["sub"] != member.User.ID {
		t.Fatalf("--json: %v", out)
	}
}

func TestLicenseActivationCommands(t *testing.T) {
	env := apptest.New(t)
	t.Setenv("OPTARE_ENCRYPTION_KEY", base64.StdEncoding.EncodeToString(apptest.EncryptionKey))
	ctx := context.Background()
	env.Operator(t)
	member := env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	if _, err := env.Svc.CreateProduct(ctx, app.CLI(), app.ProductInput{Name: "Alpha", Slug: "alpha", Floating: true}); err != nil {
		t.Fatal(err)
	}
	sub, err := env.Svc.CreateSubscription(ctx, app.CLI(), app.SubscriptionInput{OrganizationID: "acme", ProductID: "alpha", TotalSeats: 2, BillingCycle: "monthly", Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	l, err := env.Svc.Activate(ctx, member.Actor(""), app.ActivationInput{Product: "alpha", Fingerprint: "m1", Name: "Build box"})
	if err != nil || !l.Valid {
		t.Fatalf("activate: %+v %v", l, err)
	}
	out := mustRun(t, "--db", env.Path, "license", "activations", "--subscription", sub.ID)
	if !strings.Contains(out, l.Activation.ID) || !strings.Contains(out, "Build box") || !strings.Contains(out, "m@acme.test") {
		t.Fatalf("activations:\n%s", out)
	}
	page := decode(t, mustRun(t, "--db", env.Path, "--json", "license", "activations"))
	if len(page["activations"].([]any)) != 1 {
		t.Fatalf("--json: %v", page)
	}
	mustRun(t, "--db", env.Path, "license", "deactivate", l.Activation.ID)
	if code, _, errOut := run(t, "", "--db", env.Path, "license", "deactivate", l.Activation.ID); code != 1 || !strings.Contains(errOut, "not found") {
		t.Fatalf("second deactivate: %d %s", code, errOut)
	}
}
