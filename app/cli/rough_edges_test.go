package cli_test

import (
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
	"optare/app/cli"
)

// TestCLIRoughEdges: the rough edges a first real user hit.
func TestCLIRoughEdges(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "typo.db")
	// Local-only commands refuse --server instead of using ./optare.db.
	for _, args := range [][]string{{"keys", "list"}, {"backup", "x.db"}, {"serve"}, {"setup", "--org-name", "X"}} {
		code, _, errOut := run(t, "", append([]string{"--server", "http://127.0.0.1:1"}, args...)...)
		if code != cli.ExitUsage || !strings.Contains(errOut, "local database file only") {
			t.Errorf("%v with --server: %d %s", args, code, errOut)
		}
	}
	// A --db that does not exist is refused, not created.
	code, _, errOut := run(t, "", "--db", missing, "product", "list")
	if code != cli.ExitFailure || !strings.Contains(errOut, "no Optare database at "+missing+"; run `optare serve` or `optare setup` first") {
		t.Errorf("missing db: %d %s", code, errOut)
	}
	if _, err := filepath.Glob(missing + "*"); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(missing + "*"); len(m) != 0 {
		t.Errorf("files were created: %v", m)
	}

	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "a@acme.test", app.RoleAdmin)
	t.Setenv("OPTARE_ENCRYPTION_KEY", base64.StdEncoding.EncodeToString(apptest.EncryptionKey))
	mustRun(t, "--db", env.Path, "product", "create", "--name", "Alpha", "--slug", "alpha", "--features", "F")
	// Validation errors name the flag.
	code, _, errOut = run(t, "", "--db", env.Path, "subscription", "create", "--organization", "acme", "--product", "alpha",
		"--seats", "3", "--price", "1", "--cycle", "weekly", "--status", "active")
	if code != cli.ExitFailure || !strings.Contains(errOut, "--cycle: choose monthly or yearly") {
		t.Errorf("--cycle: %d %s", code, errOut)
	}
	// --json prints the JSON error shape on stderr.
	code, out, errOut := run(t, "", "--db", env.Path, "--json", "subscription", "create", "--organization", "acme", "--product", "alpha",
		"--seats", "3", "--price", "1", "--cycle", "weekly", "--status", "active")
	var body map[string]any
	if code != cli.ExitFailure || out != "" || json.Unmarshal([]byte(errOut), &body) != nil || body["error"] == nil || body["fields"] == nil {
		t.Errorf("--json error: %d %q %q", code, out, errOut)
	}
	// audit list --limit validates like the API.
	if code, _, errOut := run(t, "", "--db", env.Path, "audit", "list", "--limit", "0"); code != cli.ExitUsage || !strings.Contains(errOut, "--limit") {
		t.Errorf("--limit 0: %d %s", code, errOut)
	}
}
