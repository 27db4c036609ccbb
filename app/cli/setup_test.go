package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"optare/app/cli"
)

// runCLI runs the command line in-process and returns exit code, stdout and
// stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), append([]string{"optare"}, args...), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestSetupCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "optare.db")
	code, out, errOut := runCLI(t, "correct-horse-battery\n", "setup", "--db", db, "--org-name", "Ops", "--email", "ada@example.com", "--name", "Ada", "--password-stdin")
	if code != cli.ExitOK || !strings.Contains(out, "ada@example.com") {
		t.Fatalf("setup: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "correct-horse-battery\n", "--db", db, "setup", "--org-name", "Ops", "--email", "bob@example.com", "--name", "Bob", "--password-stdin")
	if code != cli.ExitFailure || !strings.Contains(errOut, "already complete") {
		t.Fatalf("second setup: exit %d, stderr %q", code, errOut)
	}
}

func TestSetupCommandJSONAndValidation(t *testing.T) {
	db := filepath.Join(t.TempDir(), "optare.db")
	code, _, errOut := runCLI(t, "", "setup", "--db", db, "--org-name", "Ops", "--email", "nope", "--name", "Ada", "--password", "short")
	if code != cli.ExitFailure || !strings.Contains(errOut, "email:") || !strings.Contains(errOut, "password:") {
		t.Fatalf("invalid setup: exit %d, stderr %q", code, errOut)
	}
	code, out, errOut := runCLI(t, "correct-horse-battery\n", "--json", "setup", "--db", db, "--org-name", "Ops", "--email", "ada@example.com", "--name", "Ada", "--password-stdin")
	if code != cli.ExitOK || !strings.Contains(out, `"organization"`) || !strings.Contains(out, `"org_`) {
		t.Fatalf("json setup: exit %d\n%s%s", code, out, errOut)
	}
}

func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "optare.db")
	for _, args := range [][]string{
		{"setup", "--db", db},
		{"setup", "--db", db, "--org-name", "Ops", "--email", "a@b.co", "--name", "A"},
		{"backup", "--db", db},
		{"serve", "--db", db, "--issuer", "not a url"},
		{"--no-such-flag"},
	} {
		if code, _, errOut := runCLI(t, "", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, cli.ExitUsage, errOut)
		}
	}
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "optare.db")
	runCLI(t, "correct-horse-battery\n", "setup", "--db", db, "--org-name", "Ops", "--email", "ada@example.com", "--name", "Ada", "--password-stdin")
	dst := filepath.Join(dir, "copy.db")
	if code, out, errOut := runCLI(t, "", "backup", "--db", db, dst); code != cli.ExitOK {
		t.Fatalf("backup: exit %d\n%s%s", code, out, errOut)
	}
	// The copy is a working database: setup is already done there too.
	code, _, errOut := runCLI(t, "correct-horse-battery\n", "setup", "--db", dst, "--org-name", "Ops", "--email", "x@example.com", "--name", "X", "--password-stdin")
	if code != cli.ExitFailure || !strings.Contains(errOut, "already complete") {
		t.Fatalf("setup on backup: exit %d %q", code, errOut)
	}
}

func TestBadDatabaseIsOneClearLine(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.db")
	if err := os.WriteFile(corrupt, bytes.Repeat([]byte("garbage!"), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "", "serve", "--db", corrupt, "--addr", "127.0.0.1:0")
	if code != cli.ExitFailure || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "not an SQLite database") {
		t.Fatalf("corrupt db: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "serve", "--db", filepath.Join(dir, "missing", "x.db"), "--addr", "127.0.0.1:0")
	if code != cli.ExitFailure || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Fatalf("missing folder: exit %d, stderr %q", code, errOut)
	}
}

func TestServeStartsAndStops(t *testing.T) {
	db := filepath.Join(t.TempDir(), "optare.db")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- cli.Run(ctx, []string{"optare", "serve", "--db", db, "--addr", "127.0.0.1:0"}, strings.NewReader(""), &out, &errOut)
	}()
	// Wait until it listens (migrating a new database takes a while under
	// -race on a busy machine), then stop it as SIGTERM would.
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(errOut.String(), "listening") {
		select {
		case code := <-done:
			t.Fatalf("serve exited early with %d: %s", code, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("serve did not listen within 60 s: %s", errOut.String())
		}
		sleep()
	}
	cancel()
	if code := <-done; code != cli.ExitOK {
		t.Fatalf("serve exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "/setup?token=") {
		t.Errorf("no setup link printed:\n%s", out.String())
	}
}
