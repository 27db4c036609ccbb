package cli_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// TestWebhooksSurviveKill9 kills optare serve with SIGKILL while events
// wait in the outbox (the receiver is down), then restarts it: every event
// arrives, verified with the Standard Webhooks reference library.
func TestWebhooksSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin, db := filepath.Join(dir, "optare"), filepath.Join(dir, "optare.db")
	if out, err := exec.Command("go", "build", "-o", bin, "../..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	t.Setenv("OPTARE_WEBHOOKS_ALLOW_PRIVATE", "true")
	// A port nobody listens on yet: deliveries fail until the receiver starts.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	mustRun(t, "--db", db, "setup", "--org-name", "Ops", "--email", "ops@example.com", "--name", "Ops", "--password", "correct-horse-battery")
	mustRun(t, "--db", db, "product", "create", "--name", "Pro", "--slug", "pro", "--features", "X")
	ep := decode(t, mustRun(t, "--db", db, "--json", "webhook", "create", "--org", "ops", "--all-organizations", "--url", "http://"+addr+"/hook",
		"--event", "subscription.created", "--description", "kill -9 test"))
	secret, _ := ep["secret"].(string)
	if ep["id"] == nil || secret == "" {
		t.Fatalf("webhook create --json: %v", ep)
	}
	subscribe := func(i int) {
		org := "customer-" + strconv.Itoa(i)
		mustRun(t, "--db", db, "org", "create", "--name", org)
		mustRun(t, "--db", db, "subscription", "create", "--organization", org, "--product", "pro", "--seats", "1", "--price", "1", "--cycle", "monthly", "--status", "active")
	}

	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--webhooks-allow-private")
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	srv := start()
	for i := range 5 {
		subscribe(i)
	}
	// Kill the server once its worker has tried a delivery (and failed:
	// connection refused), so the events wait in the outbox mid-retry.
	id, _ := ep["id"].(string)
	deadline := time.Now().Add(30 * time.Second)
	for !attempted(t, db, id) {
		if time.Now().After(deadline) {
			t.Fatal("no delivery attempted within 30 s")
		}
		sleep()
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.Wait()
	subscribe(5) // written while no server runs

	var mu sync.Mutex
	got := map[string]string{}
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	rl, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	rs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := wh.Verify(body, r.Header); err != nil {
			t.Errorf("signature: %v", err)
			w.WriteHeader(400)
			return
		}
		mu.Lock()
		got[r.Header.Get("webhook-id")] = string(body)
		mu.Unlock()
	})}
	go rs.Serve(rl)
	defer rs.Close()

	srv = start()
	defer func() {
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}()
	deadline = time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == 6 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of 6 events delivered after the restart", n)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, body := range got {
		if !bytes.Contains([]byte(body), []byte(`"type":"subscription.created"`)) {
			t.Fatalf("payload %s", body)
		}
	}
}

// attempted reports whether the webhook endpoint id has a delivery with at
// least one attempt.
func attempted(t *testing.T, db, id string) bool {
	t.Helper()
	page := decode(t, mustRun(t, "--db", db, "--json", "webhook", "deliveries", id))
	deliveries, _ := page["deliveries"].([]any)
	for _, d := range deliveries {
		if n, _ := d.(map[string]any)["attempts"].(float64); n >= 1 {
			return true
		}
	}
	return false
}
