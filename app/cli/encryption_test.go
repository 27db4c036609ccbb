package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"optare/app/apptest"
	"optare/app/cli"
)

// TestEncryptionKeyAtStart: the first command makes a 0600 key file beside
// a 0600 database; a key that does not open the stored signing keys stops
// every command with one clear line.
func TestEncryptionKeyAtStart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "optare.db")
	t.Setenv("OPTARE_ENCRYPTION_KEY", "")
	if code, _, errOut := run(t, apptest.Password+"\n", "--db", db, "setup", "--org-name", "Ops", "--email", "o@ops.test", "--name", "O", "--password-stdin"); code != cli.ExitOK {
		t.Fatalf("setup: %s", errOut)
	}
	mustRun(t, "--db", db, "keys", "rotate")
	for _, p := range []string{db, db + ".key"} {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", p, st.Mode(), err)
		}
	}
	mustRun(t, "--db", db, "keys", "list")
	t.Setenv("OPTARE_ENCRYPTION_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	code, _, errOut := run(t, "", "--db", db, "keys", "list")
	if code != cli.ExitFailure || !strings.Contains(errOut, "does not open the signing keys") || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
		t.Fatalf("wrong key: exit %d\n%s", code, errOut)
	}
	t.Setenv("OPTARE_ENCRYPTION_KEY", "not-a-key")
	if code, _, errOut := run(t, "", "--db", db, "keys", "list"); code != cli.ExitFailure || !strings.Contains(errOut, "OPTARE_ENCRYPTION_KEY") {
		t.Fatalf("bad key: exit %d\n%s", code, errOut)
	}
}
