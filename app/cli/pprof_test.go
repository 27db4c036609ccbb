package cli_test

import (
	"context"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"optare/app"
	"optare/app/apptest"
	"optare/app/cli"
)

// TestPprofForOperatorAdminsOnly: serve --pprof-addr serves Go's profiles
// on their own address to an operator's API key, and refuses anyone else.
func TestPprofForOperatorAdminsOnly(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	env.Customer(t, "acme", "ada@example.com", app.RoleOwner)
	ctx, svc := context.Background(), env.Svc
	op, err := svc.OrganizationByRef(ctx, app.CLI(), "operator-inc")
	if err != nil {
		t.Fatal(err)
	}
	opKey, err := svc.CreateAPIKey(ctx, app.CLI(), app.APIKeyInput{OrganizationID: op.ID, Name: "ops", Environment: "live"})
	if err != nil {
		t.Fatal(err)
	}
	acmeKey, err := svc.CreateAPIKey(ctx, app.CLI(), app.APIKeyInput{OrganizationID: "acme", Name: "acme", Environment: "live"})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("OPTARE_ENCRYPTION_KEY", hex.EncodeToString(apptest.EncryptionKey))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	sctx, cancel := context.WithCancel(ctx)
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- cli.Run(sctx, []string{"optare", "serve", "--db", env.Path, "--addr", "127.0.0.1:0", "--pprof-addr", addr}, strings.NewReader(""), &out, &errOut)
	}()
	defer func() {
		cancel()
		<-done
	}()
	get := func(key app.NewAPIKey) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/debug/pprof/", nil)
		if key.Key != "" {
			req.Header.Set("Authorization", "Bearer "+key.Key)
			req.Header.Set("X-API-Secret", key.Secret)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(errOut.String(), "pprof listening") {
		if time.Now().After(deadline) {
			t.Fatalf("pprof did not listen within 60 s: %s", errOut.String())
		}
		sleep()
	}
	if code, _ := get(app.NewAPIKey{}); code != http.StatusUnauthorized {
		t.Errorf("no credentials: %d, want 401", code)
	}
	if code, _ := get(acmeKey); code != http.StatusForbidden {
		t.Errorf("a customer's key: %d, want 403", code)
	}
	if code, body := get(opKey); code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("the operator's key: %d %.200s", code, body)
	}
}
