// Command loadgen starts a real Optare server on 127.0.0.1 with a temporary
// database, fills it through the service (operator, organization, product,
// subscription, seat, API key), hammers one scenario over loopback for a
// bounded time and prints requests per second and p50/p99 latency per
// endpoint. It stops by itself.
//
//	go run ./app/loadgen -scenario license-apikey -duration 10s -concurrency 32
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"optare/app"
	"optare/app/cli"
	"optare/store"
)

// fixture is what setup created, for scenarios to build requests from.
type fixture struct {
	base   string
	key    app.NewAPIKey
	userID string
}

// scenario is one named load: a list of endpoints, each a request builder.
// Add OAuth scenarios here.
type scenario struct {
	name      string
	endpoints map[string]func(f fixture) *http.Request
}

func withKey(f fixture, r *http.Request) *http.Request {
	r.Header.Set("Authorization", "Bearer "+f.key.Key)
	r.Header.Set("X-API-Secret", f.key.Secret)
	return r
}

var scenarios = []scenario{
	{"license-apikey", map[string]func(fixture) *http.Request{
		"GET /api/v1/licenses/check": func(f fixture) *http.Request {
			r, _ := http.NewRequest("GET", f.base+"/api/v1/licenses/check?product=bench&user_id="+f.userID, nil)
			return withKey(f, r)
		},
	}},
	{"products-apikey", map[string]func(fixture) *http.Request{
		"GET /v1/products": func(f fixture) *http.Request {
			r, _ := http.NewRequest("GET", f.base+"/v1/products", nil)
			return withKey(f, r)
		},
	}},
	{"healthz", map[string]func(fixture) *http.Request{
		"GET /healthz": func(f fixture) *http.Request { r, _ := http.NewRequest("GET", f.base+"/healthz", nil); return r },
	}},
}

func main() {
	name := flag.String("scenario", "license-apikey", "scenario to run: "+names())
	duration := flag.Duration("duration", 10*time.Second, "how long to send requests")
	concurrency := flag.Int("concurrency", 32, "parallel clients")
	flag.Parse()
	var sc *scenario
	for i := range scenarios {
		if scenarios[i].name == *name {
			sc = &scenarios[i]
		}
	}
	if sc == nil {
		fmt.Fprintf(os.Stderr, "loadgen: unknown scenario %q (have %s)\n", *name, names())
		os.Exit(2)
	}
	if err := run(*sc, *duration, *concurrency); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func names() string {
	var n []string
	for _, s := range scenarios {
		n = append(n, s.name)
	}
	return strings.Join(n, ", ")
}

func run(sc scenario, duration time.Duration, concurrency int) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "optare-loadgen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, filepath.Join(dir, "optare.db"), store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// Limits high enough that the load measures the work, not 429s; the
	// limiter still counts every request.
	limits := app.DefaultLimits
	limits.PerCredential.Limit, limits.PerOrganization.Limit = 1<<30, 1<<30
	svc, err := app.New(db, app.Options{Logger: log, Limits: limits})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	f, err := setup(ctx, svc, base)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: cli.NewServer(svc, log, base).Handler}
	go srv.Serve(ln)
	defer srv.Close()
	results := hammer(sc, f, duration, concurrency)
	report(os.Stdout, sc.name, duration, concurrency, results)
	return nil
}

func setup(ctx context.Context, svc *app.Service, base string) (fixture, error) {
	const pw = "load-generator-password"
	op, err := svc.Setup(ctx, app.CLI(), app.SetupInput{OrgName: "Ops", Name: "Ops", Email: "ops@example.com", Password: pw, PasswordConfirm: pw})
	if err != nil {
		return fixture{}, err
	}
	if _, err := svc.CreateOrganization(ctx, app.CLI(), app.OrganizationInput{Name: "Acme", Slug: "acme"}); err != nil {
		return fixture{}, err
	}
	u, err := svc.CreateUser(ctx, app.CLI(), app.UserInput{Email: "u@acme.test", Name: "U", OrgRef: "acme", Role: app.RoleMember, Password: pw})
	if err != nil {
		return fixture{}, err
	}
	if _, err := svc.CreateProduct(ctx, app.CLI(), app.ProductInput{Name: "Bench", Slug: "bench", Features: []string{"A", "B"}}); err != nil {
		return fixture{}, err
	}
	sub, err := svc.CreateSubscription(ctx, app.CLI(), app.SubscriptionInput{OrganizationID: "acme", ProductID: "bench", TotalSeats: 100, PricePerSeat: "29.99", BillingCycle: app.CycleMonthly})
	if err != nil {
		return fixture{}, err
	}
	if _, err := svc.AssignSeat(ctx, app.CLI(), sub.ID, u.ID); err != nil {
		return fixture{}, err
	}
	key, err := svc.CreateAPIKey(ctx, app.CLI(), app.APIKeyInput{OrganizationID: op.Org.ID, Name: "loadgen"})
	return fixture{base: base, key: key, userID: u.ID}, err
}

type sample struct {
	endpoint string
	latency  time.Duration
	ok       bool
}

// hammer sends requests from concurrency clients, cycling through the
// scenario's endpoints, until duration has passed.
func hammer(sc scenario, f fixture, duration time.Duration, concurrency int) []sample {
	var eps []string
	for e := range sc.endpoints {
		eps = append(eps, e)
	}
	sort.Strings(eps)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: concurrency, MaxConnsPerHost: concurrency}}
	deadline := time.Now().Add(duration)
	var mu sync.Mutex
	var all []sample
	var wg sync.WaitGroup
	for w := range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []sample
			for i := w; time.Now().Before(deadline); i++ {
				ep := eps[i%len(eps)]
				start := time.Now()
				res, err := client.Do(sc.endpoints[ep](f))
				ok := err == nil && res.StatusCode == http.StatusOK
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				mine = append(mine, sample{ep, time.Since(start), ok})
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all
}

func report(w io.Writer, name string, duration time.Duration, concurrency int, samples []sample) {
	by := map[string][]time.Duration{}
	failed := map[string]int{}
	for _, s := range samples {
		by[s.endpoint] = append(by[s.endpoint], s.latency)
		if !s.ok {
			failed[s.endpoint]++
		}
	}
	fmt.Fprintf(w, "scenario %s: %s, %d clients, %d requests\n", name, duration, concurrency, len(samples))
	for ep, lat := range by {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		fmt.Fprintf(w, "  %-30s %8.0f req/s  p50 %-9s p99 %-9s failed %d\n", ep, float64(len(lat))/duration.Seconds(),
			lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*99/100].Round(time.Microsecond), failed[ep])
	}
}
