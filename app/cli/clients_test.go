package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"optare/app/cli"
)

func TestClientAndKeysCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "optare.db")
	if code, _, errOut := runCLI(t, "", "setup", "--db", db, "--org-name", "Ops", "--email", "ada@example.com", "--name", "Ada", "--password", "correct-horse-battery"); code != cli.ExitOK {
		t.Fatal(errOut)
	}
	code, out, errOut := runCLI(t, "", "--db", db, "client", "create", "--name", "Dash", "--redirect-uri",
		"https://a.example/cb", "https://b.example/cb", "--scope", "openid", "email", "--origin", "https://a.example", "--json")
	if code != cli.ExitOK {
		t.Fatalf("create: %d %s", code, errOut)
	}
	var created struct {
		ClientID     string   `json:"client_id"`
		ClientSecret string   `json:"client_secret"`
		RedirectURIs []string `json:"redirect_uris"`
		Scopes       []string `json:"allowed_scopes"`
		FirstParty   bool     `json:"first_party"`
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil || !strings.HasPrefix(created.ClientID, "client_") ||
		!strings.HasPrefix(created.ClientSecret, "cs_") || len(created.RedirectURIs) != 2 || len(created.Scopes) != 2 || created.FirstParty {
		t.Fatalf("create output %s (%v)", out, err)
	}
	// Flags after the id, repeated flags, and --json before the command.
	code, out, errOut = runCLI(t, "", "--db", db, "client", "update", created.ClientID, "--scope", "openid", "--scope", "profile", "--json")
	if code != cli.ExitOK || !strings.Contains(out, `"profile"`) || strings.Contains(out, `"email"`) {
		t.Fatalf("update: %d %s %s", code, out, errOut)
	}
	if code, out, _ = runCLI(t, "", "--db", db, "client", "rotate-secret", created.ClientID); code != cli.ExitOK || !strings.Contains(out, "cs_") || strings.Contains(out, created.ClientSecret) {
		t.Fatalf("rotate-secret: %s", out)
	}
	if code, out, _ = runCLI(t, "", "--db", db, "client", "disable", created.ClientID); code != cli.ExitOK || !strings.Contains(out, "disabled") {
		t.Fatalf("disable: %s", out)
	}
	if code, out, _ = runCLI(t, "", "--db", db, "client", "list"); code != cli.ExitOK || !strings.Contains(out, created.ClientID) {
		t.Fatalf("list: %s", out)
	}
	if code, _, errOut = runCLI(t, "", "--db", db, "client", "create", "--name", "X", "--redirect-uri", "not a url"); code != cli.ExitFailure || !strings.Contains(errOut, "--redirect-uri: ") {
		t.Fatalf("invalid create: %d %s", code, errOut)
	}
	if code, out, _ = runCLI(t, "", "--db", db, "keys", "list"); code != cli.ExitOK || !strings.Contains(out, "RS256\tactive") {
		t.Fatalf("keys list: %s", out)
	}
	if code, out, _ = runCLI(t, "", "--db", db, "keys", "rotate"); code != cli.ExitOK || !strings.Contains(out, "Published next RS256 key") {
		t.Fatalf("keys rotate: %s", out)
	}
	if code, _, errOut = runCLI(t, "", "--db", db, "keys", "rotate"); code != cli.ExitFailure || !strings.Contains(errOut, "may sign from") {
		t.Fatalf("early promotion: %d %s", code, errOut)
	}
}
