package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
	"optare/app/cli"
)

// run calls the CLI in-process and returns exit code, stdout and stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), append([]string{"optare"}, args...), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := run(t, "", args...)
	if code != cli.ExitOK {
		t.Fatalf("optare %s = %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return m
}

// TestCatalogCommandsLocal runs the guide's admin workflow on the local
// database: the pnpm examples become optare commands with the same flags.
func TestCatalogCommandsLocal(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	db := "--db=" + env.Path
	org := decode(t, mustRun(t, db, "--json", "org", "create", "--name", "Acme Corp"))
	if org["slug"] != "acme-corp" {
		t.Fatalf("org = %v", org)
	}
	p := decode(t, mustRun(t, "product", "create", db, "--name", "Product Name", "--slug", "product-slug",
		"--description", "Description", "--features", "Feature 1", "Feature 2", "--json"))
	if f := p["features"].([]any); len(f) != 2 || f[1] != "Feature 2" || p["description"] != "Description" {
		t.Fatalf("product = %v", p)
	}
	s := decode(t, mustRun(t, db, "subscription", "create", "--organization", org["id"].(string), "--product", "product-slug",
		"--seats", "100", "--price", "29.99", "--cycle", "monthly", "--status", "active", "--json"))
	if s["price_per_seat"] != 29.99 || s["total_seats"] != 100.0 || s["status"] != "active" {
		t.Fatalf("subscription = %v", s)
	}
	id := s["id"].(string)
	// Flags after the positional argument, and --json before the command.
	up := decode(t, mustRun(t, db, "--json", "subscription", "update", id, "--seats", "150", "--end-date", "2030-12-31"))
	if up["total_seats"] != 150.0 || up["end_date"] != "2030-12-31T00:00:00Z" {
		t.Fatalf("updated = %v", up)
	}
	if c := decode(t, mustRun(t, db, "subscription", "cancel", id, "--json")); c["status"] != "cancelled" {
		t.Fatalf("cancelled = %v", c)
	}
	p = decode(t, mustRun(t, db, "product", "update", "product-slug", "--features", "A", "--features", "B, with comma", "--json"))
	if f := p["features"].([]any); len(f) != 2 || f[1] != "B, with comma" {
		t.Fatalf("repeated --features = %v", p["features"])
	}
	table := mustRun(t, db, "subscription", "list")
	if !strings.Contains(table, "STATUS") || !strings.Contains(table, id) || !strings.Contains(table, "29.99 USD") {
		t.Errorf("table:\n%s", table)
	}
	u := decode(t, mustRun(t, db, "--json", "user", "create", "--email", "m@acme.test", "--name", "Mia", "--org", "acme-corp", "--role", "member", "--password", apptest.Password))
	mustRun(t, db, "user", "disable", u["id"].(string))
	if code, _, _ := run(t, "new-password-long-enough\n", db, "user", "set-password", u["id"].(string), "--password-stdin"); code != 0 {
		t.Fatal("set-password failed")
	}
	k := decode(t, mustRun(t, db, "--json", "apikey", "create", "--org", "acme-corp", "--name", "ci", "--env", "test"))
	for _, f := range []string{"id", "key", "secret"} {
		if k[f] == "" || k[f] == nil {
			t.Errorf("apikey create lacks %s: %v", f, k)
		}
	}
	mustRun(t, db, "apikey", "revoke", k["id"].(string))
	audit := mustRun(t, db, "audit", "list", "--org", "acme-corp", "--action", "subscription.")
	for _, a := range []string{"subscription.created", "subscription.updated", "subscription.cancelled"} {
		if !strings.Contains(audit, a) {
			t.Errorf("audit list lacks %s:\n%s", a, audit)
		}
	}
}

func TestCLIExitCodes(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	db := "--db=" + env.Path
	mustRun(t, db, "product", "create", "--name", "A", "--slug", "alpha")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"bad slug", []string{"product", "create", "--name", "A", "--slug", "Bad Slug"}, cli.ExitFailure},
		{"duplicate slug", []string{"product", "create", "--name", "A", "--slug", "alpha"}, cli.ExitFailure},
		{"three decimals", []string{"subscription", "create", "--org", "x", "--product", "alpha", "--seats", "1", "--price", "1.999", "--cycle", "monthly"}, cli.ExitFailure},
		{"zero seats", []string{"subscription", "create", "--org", "x", "--product", "alpha", "--seats", "0", "--cycle", "monthly"}, cli.ExitFailure},
		{"unknown org", []string{"subscription", "create", "--org", "nope", "--product", "alpha", "--seats", "1", "--cycle", "monthly"}, cli.ExitFailure},
		{"seats not a number", []string{"subscription", "create", "--org", "x", "--product", "alpha", "--seats", "many"}, cli.ExitUsage},
		{"missing required flag", []string{"product", "create", "--name", "A"}, cli.ExitUsage},
		{"missing argument", []string{"product", "get"}, cli.ExitUsage},
		{"unknown flag", []string{"product", "list", "--colour", "red"}, cli.ExitUsage},
		{"server without key", []string{"--server", "http://127.0.0.1:1", "product", "list"}, cli.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, "", append([]string{db}, tt.args...)...)
			if code != tt.code || errOut == "" {
				t.Fatalf("= %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
		})
	}
}

// TestCLIAgainstServer runs the same commands with --server through the
// REST API, and checks that a local CLI change is visible to the server's
// very next API call.
func TestCLIAgainstServer(t *testing.T) {
	env := apptest.New(t)
	op := env.Operator(t)
	ts := env.Server(t)
	key, err := env.Svc.CreateAPIKey(context.Background(), app.CLI(), app.APIKeyInput{OrganizationID: op.Org.ID, Name: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("OPTARE_API_KEY", key.Key)
	t.Setenv("OPTARE_API_SECRET", key.Secret)
	srv := "--server=" + ts.URL

	// A local write while the server runs, then the next API call.
	mustRun(t, "--db", env.Path, "product", "create", "--name", "Local", "--slug", "local", "--features", "X")
	list := apiGet(t, ts.URL+"/v1/products", key)
	if !strings.Contains(list, `"slug":"local"`) {
		t.Fatalf("API does not see the CLI's product: %s", list)
	}

	org := decode(t, mustRun(t, srv, "--json", "org", "create", "--name", "Remote Co"))
	p := decode(t, mustRun(t, srv, "--json", "product", "create", "--name", "Remote", "--slug", "remote", "--features", "F 1", "F 2"))
	if p["slug"] != "remote" || len(p["features"].([]any)) != 2 {
		t.Fatalf("remote product = %v", p)
	}
	s := decode(t, mustRun(t, srv, "--json", "subscription", "create", "--organization", "remote-co", "--product", "remote",
		"--seats", "3", "--price", "29.99", "--cycle", "yearly", "--status", "trial", "--end-date", "2030-01-01"))
	if s["organization_id"] != org["id"] || s["price_per_seat"] != 29.99 || s["status"] != "trial" {
		t.Fatalf("remote subscription = %v", s)
	}
	// The CLI's --json is the API's JSON.
	apiJSON := decode(t, apiGet(t, ts.URL+"/api/v1/subscriptions/"+s["id"].(string), key))
	cliJSON := decode(t, mustRun(t, srv, "--json", "subscription", "get", s["id"].(string)))
	if a, b := mustJSON(apiJSON), mustJSON(cliJSON); a != b {
		t.Errorf("CLI JSON differs from API JSON:\n%s\n%s", b, a)
	}
	u := decode(t, mustRun(t, srv, "--json", "user", "create", "--email", "r@remote.test", "--name", "R", "--org", "remote-co", "--password", apptest.Password))
	mustRun(t, srv, "seat", "assign", s["id"].(string), "--user", u["id"].(string))
	code, _, errOut := run(t, "", srv, "subscription", "update", s["id"].(string), "--seats", "0")
	if code != cli.ExitFailure || !strings.Contains(errOut, "--seats: use a whole number") {
		t.Errorf("remote validation: %d %s", code, errOut)
	}
	code, _, errOut = run(t, "", srv, "product", "create", "--name", "Dup", "--slug", "remote")
	if code != cli.ExitFailure || !strings.Contains(errOut, "slug") {
		t.Errorf("remote duplicate: %d %s", code, errOut)
	}
	if out := mustRun(t, srv, "audit", "list", "--action", "seat.assigned"); !strings.Contains(out, "seat.assigned") || !strings.Contains(out, "ops") {
		t.Errorf("audit via API:\n%s", out)
	}
	mustRun(t, srv, "apikey", "list")

	// OAuth clients through the API: the secret once, then the same entry
	// in the audit log as a local disable writes.
	cl := decode(t, mustRun(t, srv, "--json", "client", "create", "--name", "Remote App", "--redirect-uri", "https://r.example/cb", "https://r.example/cb2"))
	if cl["client_secret"] == "" || len(cl["redirect_uris"].([]any)) != 2 {
		t.Fatalf("remote client = %v", cl)
	}
	id := cl["client_id"].(string)
	if got := decode(t, mustRun(t, srv, "--json", "client", "disable", id)); got["enabled"] != false {
		t.Fatalf("remote disable = %v", got)
	}
	if got := decode(t, mustRun(t, srv, "--json", "client", "rotate-secret", id)); got["client_secret"] == cl["client_secret"] {
		t.Fatal("rotate-secret kept the secret")
	}
	if out := mustRun(t, srv, "audit", "list", "--action", "client.disabled"); !strings.Contains(out, id) {
		t.Errorf("client.disabled not audited:\n%s", out)
	}
	// Usage through the API: the server counts this key's requests in
	// memory, so the remote CLI sees them before any flush.
	usage := decode(t, mustRun(t, srv, "--json", "usage", "--metric", "key_requests", "--key", key.ID))
	if usage["total"].(float64) < 10 || usage["interval"] != "hour" {
		t.Errorf("remote usage = %v", usage)
	}
}

func apiGet(t *testing.T, url string, key app.NewAPIKey) string {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+key.Key)
	req.Header.Set("X-API-Secret", key.Secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	return string(b)
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }
