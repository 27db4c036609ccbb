package replica_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
	"optare/store"
	"optare/store/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Cleanup()
	os.Exit(code)
}

const callback = "https://app.example.com/callback"

// cluster is three replicas on one database behind a round-robin proxy.
type cluster struct {
	t        *testing.T
	bin, db  string
	proxy    *httptest.Server
	backends []*replicaProc
	next     atomic.Uint64
	served   []atomic.Int64 // requests each replica answered through the proxy
}

type replicaProc struct {
	url  string
	cmd  *exec.Cmd
	log  *bytes.Buffer
	dead atomic.Bool
}

// build compiles optare once for the test.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "optare")
	cmd := exec.Command("go", "build", "-o", bin, "optare")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// encryptionEnv gives a process the key the signing keys are sealed with.
func encryptionEnv() string {
	return "OPTARE_ENCRYPTION_KEY=" + hex.EncodeToString(apptest.EncryptionKey)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startCluster(t *testing.T, bin, db string, n int) *cluster {
	c := &cluster{t: t, bin: bin, db: db, served: make([]atomic.Int64, n)}
	c.proxy = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(c.next.Add(1)-1) % len(c.backends)
		u, _ := url.Parse(c.backends[i].url)
		p := httputil.NewSingleHostReverseProxy(u)
		p.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) { w.WriteHeader(http.StatusBadGateway) }
		c.served[i].Add(1)
		p.ServeHTTP(w, r)
	}))
	t.Cleanup(c.proxy.Close)
	for range n {
		addr := freeAddr(t)
		rp := &replicaProc{url: "http://" + addr, log: &bytes.Buffer{}}
		rp.cmd = exec.Command(bin, "serve", "--db", db, "--addr", addr, "--issuer", c.proxy.URL)
		rp.cmd.Env = append(os.Environ(), encryptionEnv()) // the same key on every replica
		rp.cmd.Stdout, rp.cmd.Stderr = rp.log, rp.log
		if err := rp.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if !rp.dead.Load() {
				rp.cmd.Process.Kill()
				rp.cmd.Wait()
			}
			if t.Failed() {
				t.Logf("replica %s log:\n%s", rp.url, rp.log)
			}
		})
		c.backends = append(c.backends, rp)
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, rp := range c.backends {
		for {
			res, err := http.Get(rp.url + "/readyz")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("replica %s not ready: %v\n%s", rp.url, err, rp.log)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return c
}

// seed is what the test needs in the database before the replicas start.
type seed struct {
	client    app.ClientWithSecret
	key       app.NewAPIKey // rate-limited reader
	writerKey app.NewAPIKey // the write load's
	userEmail string
}

func seedDatabase(t *testing.T, dsn string) seed {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{EncryptionKey: apptest.EncryptionKey})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, err := app.New(db, app.Options{Password: apptest.FastPassword, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	op, err := svc.Setup(ctx, app.CLI(), app.SetupInput{OrgName: "Operator Inc", Name: "Olive", Email: "owner@example.com",
		Password: apptest.Password, PasswordConfirm: apptest.Password})
	if err != nil {
		t.Fatal(err)
	}
	org, err := svc.CreateOrganization(ctx, app.CLI(), app.OrganizationInput{Name: "Acme", Slug: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateUser(ctx, app.CLI(), app.UserInput{Email: "ada@example.com", Name: "Ada", OrgRef: org.ID, Role: app.RoleMember, Password: apptest.Password}); err != nil {
		t.Fatal(err)
	}
	var s seed
	s.userEmail = "ada@example.com"
	if s.client, err = svc.CreateClient(ctx, app.CLI(), app.ClientInput{Name: "Acme Dashboard", RedirectURIs: []string{callback}}); err != nil {
		t.Fatal(err)
	}
	if s.key, err = svc.CreateAPIKey(ctx, app.CLI(), app.APIKeyInput{OrganizationID: op.Org.ID, Name: "reader", Environment: "live"}); err != nil {
		t.Fatal(err)
	}
	if s.writerKey, err = svc.CreateAPIKey(ctx, app.CLI(), app.APIKeyInput{OrganizationID: op.Org.ID, Name: "writer", Environment: "live"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestThreeReplicas is the replica test: sign-in flows, refresh
// reuse, rate limits, revocation and key rotation across three replicas,
// and a replica killed during a write load losing no acknowledged write.
func TestThreeReplicas(t *testing.T) {
	if why := pgtest.Missing(); why != "" {
		if pgtest.Required() {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	if testing.Short() {
		t.Skip("starts three servers")
	}
	dsn := pgtest.Empty(t)
	s := seedDatabase(t, dsn)
	c := startCluster(t, build(t), dsn, 3)
	ctx := context.Background()
	conf := &oauth2.Config{ClientID: s.client.ClientID, ClientSecret: s.client.ClientSecret, RedirectURL: callback,
		Endpoint: oauth2.Endpoint{AuthURL: c.proxy.URL + "/oauth/authorize", TokenURL: c.proxy.URL + "/oauth/token"},
		Scopes:   []string{"openid", "email", "profile", "offline_access"}}

	// 1. A code + PKCE flow whose every step lands on the next replica.
	before := c.counts()
	tok := c.codeFlow(conf, s.userEmail)
	after := c.counts()
	spread := 0
	for i := range after {
		if after[i] > before[i] {
			spread++
		}
	}
	if spread < 3 {
		t.Errorf("the flow's requests reached %d replicas, want 3", spread)
	}
	t.Logf("code + PKCE flow: %v requests per replica", diff(after, before))

	// 2. Refresh-token reuse is caught whichever replica sees it.
	fresh, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if _, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("reused refresh token: %v, want invalid_grant", err)
	}
	if _, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: fresh.RefreshToken}).Token(); err == nil {
		t.Fatal("the family survived the reuse")
	}

	// 3. A revocation at one replica is refused at every other at once.
	tok = c.codeFlow(conf, s.userEmail)
	res := c.post(c.proxy.URL+"/oauth/revoke", url.Values{"token": {tok.RefreshToken}, "client_id": {conf.ClientID}, "client_secret": {conf.ClientSecret}})
	if res.StatusCode != 200 {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	revoked := time.Now()
	var worst time.Duration
	for _, rp := range c.backends {
		for {
			if !c.active(rp.url, conf, tok.AccessToken) {
				worst = max(worst, time.Since(revoked))
				break
			}
			if time.Since(revoked) > time.Second {
				t.Fatalf("replica %s still accepts the revoked token after 1 s", rp.url)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	t.Logf("revocation refused on all replicas %v after the revoke answered", worst.Round(time.Millisecond))

	// 4. A key's 100 per minute holds across the three replicas.
	allowed := 0
	for range 130 {
		req, _ := http.NewRequest("GET", c.proxy.URL+"/api/v1/licenses/check?product=none&user_id=user_none", nil)
		req.Header.Set("Authorization", "Bearer "+s.key.Key)
		req.Header.Set("X-API-Secret", s.key.Secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusTooManyRequests {
			allowed++
		}
	}
	if allowed < 90 || allowed > 110 {
		t.Errorf("%d of 130 requests allowed under a 100/min limit across 3 replicas", allowed)
	}
	t.Logf("rate limit 100/min across 3 replicas: %d of 130 allowed", allowed)

	// 5. A key rotation by the CLI is served by every replica within seconds.
	keysBefore := c.jwksKeys(c.backends[0].url)
	rotate := exec.Command(c.bin, "keys", "rotate", "--db", dsn)
	rotate.Env = append(os.Environ(), encryptionEnv())
	if out, err := rotate.CombinedOutput(); err != nil {
		t.Fatalf("keys rotate: %v\n%s", err, out)
	}
	rotated := time.Now()
	var slowest time.Duration
	for _, rp := range c.backends {
		for c.jwksKeys(rp.url) <= keysBefore {
			if time.Since(rotated) > 10*time.Second {
				t.Fatalf("replica %s still publishes %d keys 10 s after the rotation", rp.url, keysBefore)
			}
			time.Sleep(50 * time.Millisecond)
		}
		slowest = max(slowest, time.Since(rotated))
	}
	t.Logf("key rotation published by all replicas within %v", slowest.Round(time.Millisecond))

	// 6. kill -9 of one replica during a write load loses no acknowledged write.
	// Three writers run while replica 1 is killed mid-load, with requests
	// in flight.
	var mu sync.Mutex
	var acked []string
	failed := 0
	var wg sync.WaitGroup
	var sent atomic.Int64
	for w := range 3 {
		wg.Go(func() {
			for i := range 30 {
				sent.Add(1)
				body := fmt.Sprintf(`{"name": "Load %d-%d"}`, w, i)
				req, _ := http.NewRequest("POST", c.proxy.URL+"/api/v1/organizations", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+s.writerKey.Key)
				req.Header.Set("X-API-Secret", s.writerKey.Secret)
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
					continue
				}
				var org struct{ ID string }
				json.NewDecoder(res.Body).Decode(&org)
				res.Body.Close()
				mu.Lock()
				if res.StatusCode == http.StatusCreated && org.ID != "" {
					acked = append(acked, org.ID)
				} else {
					failed++
				}
				mu.Unlock()
			}
		})
	}
	for sent.Load() < 30 {
		time.Sleep(time.Millisecond)
	}
	c.backends[1].dead.Store(true)
	c.backends[1].cmd.Process.Kill() // SIGKILL, with writes in flight
	c.backends[1].cmd.Wait()
	wg.Wait()
	db, err := store.Open(ctx, dsn, store.Options{EncryptionKey: apptest.EncryptionKey})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lost := 0
	for _, id := range acked {
		err := db.Read(ctx, func(tx *store.Tx) error { _, err := tx.Organization(ctx, id); return err })
		if err != nil {
			lost++
		}
	}
	if lost != 0 {
		t.Errorf("%d of %d acknowledged writes lost", lost, len(acked))
	}
	if len(acked) < 55 {
		t.Errorf("only %d of 90 writes acknowledged with one of three replicas down", len(acked))
	}
	for i, rp := range c.backends {
		if i == 1 {
			continue
		}
		res, err := http.Get(rp.url + "/readyz")
		if err != nil || res.StatusCode != 200 {
			t.Errorf("surviving replica %s: %v", rp.url, err)
		} else {
			res.Body.Close()
		}
	}
	t.Logf("kill -9 during writes: %d acknowledged, %d refused (dead replica), %d lost", len(acked), failed, lost)
	t.Logf("requests per replica through the proxy: %v", c.counts())
}

func (c *cluster) counts() []int64 {
	out := make([]int64, len(c.served))
	for i := range c.served {
		out[i] = c.served[i].Load()
	}
	return out
}

func diff(a, b []int64) []int64 {
	out := make([]int64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

func (c *cluster) post(u string, form url.Values) *http.Response {
	c.t.Helper()
	res, err := http.PostForm(u, form)
	if err != nil {
		c.t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// active introspects token at one replica directly.
func (c *cluster) active(base string, conf *oauth2.Config, token string) bool {
	c.t.Helper()
	res, err := http.PostForm(base+"/oauth/introspect", url.Values{"token": {token}, "client_id": {conf.ClientID}, "client_secret": {conf.ClientSecret}})
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Active bool }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		c.t.Fatalf("introspect at %s: %d %v", base, res.StatusCode, err)
	}
	return out.Active
}

func (c *cluster) jwksKeys(base string) int {
	c.t.Helper()
	res, err := http.Get(base + "/.well-known/jwks.json")
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var set struct{ Keys []json.RawMessage }
	json.NewDecoder(res.Body).Decode(&set)
	return len(set.Keys)
}

// codeFlow signs in, approves and exchanges the code, all through the proxy.
func (c *cluster) codeFlow(conf *oauth2.Config, email string) *oauth2.Token {
	t := c.t
	t.Helper()
	b := apptest.NewBrowser(t, c.proxy)
	verifier := oauth2.GenerateVerifier()
	next := strings.TrimPrefix(conf.AuthCodeURL("st-1", oauth2.S256ChallengeOption(verifier)), c.proxy.URL)
	var code string
	for range 6 {
		res, body := b.Get(next)
		if res.StatusCode == http.StatusOK && strings.Contains(body, `id="consent-form"`) {
			form := url.Values{}
			for _, n := range apptest.FindAll(t, body, func(n *html.Node) bool { return n.Data == "input" && apptest.Attr(n, "type") == "hidden" }) {
				form.Add(apptest.Attr(n, "name"), apptest.Attr(n, "value"))
			}
			form.Set("decision", "approve")
			res, body = b.PostForm("/oauth/authorize", form)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("consent: %d\n%s", res.StatusCode, body)
			}
		} else if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("GET %s: %d\n%s", next, res.StatusCode, body)
		}
		loc := res.Header.Get("Location")
		if strings.HasPrefix(loc, callback) {
			u, _ := url.Parse(loc)
			code = u.Query().Get("code")
			break
		}
		if strings.HasPrefix(loc, "/login") {
			u, _ := url.Parse(loc)
			res, body := b.PostForm("/login", url.Values{"email": {email}, "password": {apptest.Password}, "next": {u.Query().Get("next")}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("login: %d\n%s", res.StatusCode, body)
			}
			loc = res.Header.Get("Location")
		}
		next = loc
	}
	if code == "" {
		t.Fatal("the flow did not reach the callback")
	}
	tok, err := conf.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return tok
}
