package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestWebhookCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "optare.db")
	mustRun(t, "--db", db, "setup", "--org-name", "Ops", "--email", "ops@example.com", "--name", "Ops", "--password", "correct-horse-battery")
	mustRun(t, "--db", db, "org", "create", "--name", "Acme")
	ep := decode(t, mustRun(t, "--db", db, "--json", "webhook", "create", "--org", "acme", "--url", "https://hooks.example.com/in",
		"--event", "seat.assigned", "--event", "subscription.created", "--description", "CRM"))
	id, _ := ep["id"].(string)
	if !strings.HasPrefix(ep["secret"].(string), "whsec_") || len(ep["events"].([]any)) != 2 {
		t.Fatalf("create --json: %v", ep)
	}
	if out := mustRun(t, "--db", db, "webhook", "list", "--org", "acme"); !strings.Contains(out, id) || !strings.Contains(out, "seat.assigned,subscription.created") {
		t.Fatalf("list:\n%s", out)
	}
	up := decode(t, mustRun(t, "--db", db, "--json", "webhook", "update", id, "--event", "user.disabled", "--enabled=false"))
	if up["enabled"] != false || len(up["events"].([]any)) != 1 {
		t.Fatalf("update: %v", up)
	}
	if code, _, errOut := run(t, "", "--db", db, "webhook", "test", id); code != 1 || !strings.Contains(errOut, "disabled") {
		t.Fatalf("test on a disabled endpoint: %d %s", code, errOut)
	}
	mustRun(t, "--db", db, "webhook", "update", id, "--enabled")
	d := decode(t, mustRun(t, "--db", db, "--json", "webhook", "test", id))
	mustRun(t, "--db", db, "webhook", "replay", id, d["id"].(string))
	if out := mustRun(t, "--db", db, "webhook", "deliveries", id); strings.Count(out, "webhook.test") != 2 {
		t.Fatalf("deliveries:\n%s", out)
	}
	if code, _, errOut := run(t, "", "--db", db, "webhook", "create", "--org", "acme", "--url", "http://10.0.0.8/x", "--event", "seat.assigned"); code != 1 || !strings.Contains(errOut, "url:") {
		t.Fatalf("private target: %d %s", code, errOut)
	}
	if code, _, _ := run(t, "", "--db", db, "webhook", "create", "--org", "acme", "--url", "https://x.example.com"); code != 2 {
		t.Fatalf("no --event: exit %d", code)
	}
	mustRun(t, "--db", db, "webhook", "delete", id)
}
