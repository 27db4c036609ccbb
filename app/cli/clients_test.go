package cli_test

import (
	"encoding/json"
	"os"
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

// TestClientProtocolFlags: the flags of issue 11, verbatim.
func TestClientProtocolFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "optare.db")
	if code, _, errOut := runCLI(t, "", "setup", "--db", db, "--org-name", "Ops", "--email", "ada@example.com", "--name", "Ada", "--password", "correct-horse-battery"); code != cli.ExitOK {
		t.Fatal(errOut)
	}
	// A device-flow CLI needs no redirect URI.
	code, out, errOut := runCLI(t, "", "--db", db, "client", "create", "--name", "Acme CLI", "--grant", "device_code",
		"--grant", "refresh_token", "--auth-method", "none", "--json")
	if code != cli.ExitOK {
		t.Fatalf("create device client: %d %s", code, errOut)
	}
	var c struct {
		ClientID     string   `json:"client_id"`
		ClientSecret *string  `json:"client_secret"`
		Public       bool     `json:"public"`
		AuthMethod   string   `json:"token_endpoint_auth_method"`
		GrantTypes   []string `json:"grant_types"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil || c.ClientID == "" || c.ClientSecret != nil || !c.Public ||
		c.AuthMethod != "none" || strings.Join(c.GrantTypes, " ") != "urn:ietf:params:oauth:grant-type:device_code refresh_token" {
		t.Fatalf("device client %s (%v)", out, err)
	}
	code, out, errOut = runCLI(t, "", "--db", db, "client", "create", "--name", "Web", "--redirect-uri", "https://w.example/cb",
		"--auth-method", "client_secret_post", "--initiate-login-uri", "https://w.example/login", "--json")
	if code != cli.ExitOK || !strings.Contains(out, `"client_secret": "cs_`) || !strings.Contains(out, `"token_endpoint_auth_method": "client_secret_post"`) ||
		!strings.Contains(out, `"initiate_login_uri": "https://w.example/login"`) {
		t.Fatalf("create web client: %d %s %s", code, out, errOut)
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "", "--db", db, "client", "update", c.ClientID, "--auth-method", "client_secret_basic", "--initiate-login-uri", "")
	if code != cli.ExitOK || !strings.Contains(out, "client_secret_basic") || strings.Contains(out, "w.example/login") {
		t.Fatalf("update: %d %s %s", code, out, errOut)
	}
	for _, bad := range [][]string{
		{"client", "update", c.ClientID, "--auth-method", "none"},
		{"client", "create", "--name", "X", "--public", "--auth-method", "client_secret_basic", "--redirect-uri", "https://x.example/cb"},
		{"client", "create", "--name", "X", "--grant", "password", "--redirect-uri", "https://x.example/cb"},
		{"client", "create", "--name", "X", "--redirect-uri", "https://x.example/cb", "--initiate-login-uri", "ftp://x.example/"},
	} {
		if code, _, errOut := runCLI(t, "", append([]string{"--db", db}, bad...)...); code != cli.ExitFailure || errOut == "" {
			t.Errorf("%v: %d %s", bad, code, errOut)
		}
	}
}

func TestClientRequirePARFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "optare.db")
	if code, _, errOut := runCLI(t, "", "setup", "--db", db, "--org-name", "Ops", "--email", "ada@example.com", "--name", "Ada", "--password", "correct-horse-battery"); code != cli.ExitOK {
		t.Fatal(errOut)
	}
	code, out, errOut := runCLI(t, "", "--db", db, "client", "create", "--name", "Strong", "--redirect-uri", "https://s.example/cb", "--require-par", "--json")
	if code != cli.ExitOK || !strings.Contains(out, `"require_pushed_authorization_requests": true`) {
		t.Fatalf("create: %d %s %s", code, out, errOut)
	}
}

// TestClientRequireDPoPFlag: --require-dpop (and --target-link-uri) on
// create, and DPoP off again by update.
func TestClientRequireDPoPFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "optare.db")
	if code, _, errOut := runCLI(t, "", "setup", "--db", db, "--org-name", "Ops", "--email", "ada@example.com", "--name", "Ada", "--password", "correct-horse-battery"); code != cli.ExitOK {
		t.Fatal(errOut)
	}
	code, out, errOut := runCLI(t, "", "--db", db, "client", "create", "--name", "Bound", "--redirect-uri", "https://s.example/cb", "--require-dpop",
		"--initiate-login-uri", "https://s.example/login", "--target-link-uri", "https://s.example/home", "--json")
	if code != cli.ExitOK || !strings.Contains(out, `"dpop_bound_access_tokens": true`) || !strings.Contains(out, `"target_link_uri": "https://s.example/home"`) {
		t.Fatalf("create: %d %s %s", code, out, errOut)
	}
	var created struct {
		ClientID string `json:"client_id"`
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "", "--db", db, "client", "update", created.ClientID, "--require-dpop=false", "--json")
	if code != cli.ExitOK || !strings.Contains(out, `"dpop_bound_access_tokens": false`) {
		t.Fatalf("update --require-dpop=false: %d %s %s", code, out, errOut)
	}
}

func TestClientJWKSFlags(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "optare.db")
	if code, _, errOut := runCLI(t, "", "setup", "--db", db, "--org-name", "Ops", "--email", "ada@example.com", "--name", "Ada", "--password", "correct-horse-battery"); code != cli.ExitOK {
		t.Fatal(errOut)
	}
	jwks := filepath.Join(dir, "jwks.json")
	if err := os.WriteFile(jwks, []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"k1"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "--db", db, "client", "create", "--name", "Svc", "--grant", "client_credentials",
		"--auth-method", "private_key_jwt", "--jwks-file", jwks, "--json")
	if code != cli.ExitOK || strings.Contains(out, "client_secret") || !strings.Contains(out, `"kid": "k1"`) {
		t.Fatalf("create with --jwks-file: %d %s %s", code, out, errOut)
	}
	var c struct {
		ClientID string `json:"client_id"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "", "--db", db, "client", "update", c.ClientID, "--jwks-file", "", "--jwks-uri", "https://svc.example/jwks.json")
	if code != cli.ExitOK || !strings.Contains(out, "https://svc.example/jwks.json") {
		t.Fatalf("update to --jwks-uri: %d %s %s", code, out, errOut)
	}
	if code, _, errOut = runCLI(t, "", "--db", db, "client", "create", "--name", "Bad", "--grant", "client_credentials",
		"--auth-method", "private_key_jwt"); code != cli.ExitFailure || !strings.Contains(errOut, "jwks") {
		t.Fatalf("private_key_jwt without keys: %d %s", code, errOut)
	}
}
