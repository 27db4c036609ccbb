package cli_test

import (
	"context"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
	"optare/app/cli"
)

// TestSetLimitCommands: the operator's rate-limit overrides from the CLI,
// on the local database and against a server.
func TestSetLimitCommands(t *testing.T) {
	env := apptest.New(t)
	op := env.Operator(t)
	env.Customer(t, "acme", "a@acme.test", app.RoleAdmin)
	t.Setenv("OPTARE_ENCRYPTION_KEY", "")
	out := mustRun(t, "--db", env.Path, "org", "set-limit", "acme", "--per-hour", "50000")
	if !strings.Contains(out, "50000 requests per hour") {
		t.Fatalf("local: %s", out)
	}
	if code, _, errOut := run(t, "", "--db", env.Path, "org", "set-limit", "acme", "--per-hour", "-3"); code != cli.ExitUsage || !strings.Contains(errOut, "--per-hour") {
		t.Fatalf("negative: %d %s", code, errOut)
	}
	key, err := env.Svc.CreateAPIKey(context.Background(), app.CLI(), app.APIKeyInput{OrganizationID: op.Org.ID, Name: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	t.Setenv("OPTARE_API_KEY", key.Key)
	t.Setenv("OPTARE_API_SECRET", key.Secret)
	s := decode(t, mustRun(t, "--server", ts.URL, "--json", "apikey", "set-limit", key.Key, "--per-minute", "600"))
	if s["limit"] != 600.0 || s["window"] != "minute" {
		t.Fatalf("remote: %v", s)
	}
	out = mustRun(t, "--server", ts.URL, "apikey", "set-limit", key.Key, "--per-minute", "0")
	if !strings.Contains(out, "back to the default of 100") {
		t.Fatalf("reset: %s", out)
	}
}
