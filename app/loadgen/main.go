// Command loadgen is the load scenario of `just bench-load`: it starts a
// real Optare server on 127.0.0.1 with a temporary database, creates an
// operator, a customer user with a seat on a product, an API key, a
// confidential client and one grant per worker through the app's own
// methods, then loads each endpoint in turn over loopback — the license
// check with an API key and with a user's access token, the products list,
// the token endpoint (refresh_token, client_credentials), userinfo, JWKS and
// /healthz as a floor — for a bounded time with concurrent workers, and
// prints requests/s, p50 and p99 per endpoint. It stops by itself.
//
// After the refresh grant it loads the baseline the grant is measured
// against (baseline.go: a bare handler that signs one ES256 JWT and makes
// one SQLite write) and prints the ratio of their throughputs.
//
// With -engine postgres it runs on a fresh database on the PostgreSQL
// server named by OPTARE_TEST_POSTGRES (dropped at the end), and with
// -replicas N on N servers, each with its own pool as separate processes
// would have, behind a round-robin reverse proxy.
//
//	go run ./app/loadgen -duration 5s -concurrency 32 [-only license] [-signing-alg ES256] [-engine postgres -replicas 2]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"optare/app"
	"optare/app/cli"
	"optare/store"
	"optare/store/pgtest"
)

// roundRobin sends each request to the next backend, as a load balancer
// in front of replicas would.
func roundRobin(backends []*url.URL) http.Handler {
	proxies := make([]*httputil.ReverseProxy, len(backends))
	for i, b := range backends {
		proxies[i] = httputil.NewSingleHostReverseProxy(b)
		proxies[i].Transport = &http.Transport{MaxIdleConnsPerHost: 256}
	}
	var next atomic.Uint64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxies[int(next.Add(1)-1)%len(proxies)].ServeHTTP(w, r)
	})
}

func main() {
	duration := flag.Duration("duration", 5*time.Second, "how long to load each endpoint")
	concurrency := flag.Int("concurrency", 32, "concurrent workers")
	alg := flag.String("signing-alg", "RS256", "access token algorithm: RS256 or ES256")
	only := flag.String("only", "", "load only the endpoints whose name contains this text")
	engine := flag.String("engine", "sqlite", "sqlite, or postgres (the server in OPTARE_TEST_POSTGRES)")
	replicas := flag.Int("replicas", 1, "servers behind a round-robin proxy (postgres only)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the load (server and load generator) to this file")
	flag.Parse()
	if *cpuProfile != "" {
		out, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(out)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*duration, *concurrency, *alg, *only, *engine, *replicas); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(duration time.Duration, workers int, alg, only, engine string, replicas int) error {
	ctx := context.Background()
	var dsn string
	switch engine {
	case "sqlite":
		if replicas != 1 {
			return fmt.Errorf("-replicas %d: one process owns an SQLite file; use -engine postgres", replicas)
		}
		dir, err := os.MkdirTemp("", "optare-loadgen-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = filepath.Join(dir, "optare.db")
	case "postgres":
		if why := pgtest.Missing(); why != "" {
			return errors.New(why)
		}
		u, name, err := pgtest.CreateEmpty()
		if err != nil {
			return err
		}
		defer pgtest.Drop(name)
		dsn = u
	default:
		return fmt.Errorf("-engine %q: sqlite or postgres", engine)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	// Rate limits high enough that the load measures the work, not 429s;
	// the limiter still counts every request.
	limits := app.DefaultLimits
	limits.PerCredential.Limit, limits.PerOrganization.Limit = 1<<30, 1<<30
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	issuer := "http://" + ln.Addr().String()
	var svc *app.Service
	var backends []*url.URL
	for i := range max(replicas, 1) {
		db, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			return err
		}
		defer db.Close()
		s, err := app.New(db, app.Options{Logger: quiet, SigningAlg: alg, Limits: limits, Issuer: issuer})
		if err != nil {
			return err
		}
		if i == 0 {
			svc = s
		}
		h := cli.NewServer(s, quiet, issuer).Handler
		if replicas <= 1 {
			srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
			go srv.Serve(ln)
			defer srv.Close()
			break
		}
		rl, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(rl)
		defer srv.Close()
		backends = append(backends, &url.URL{Scheme: "http", Host: rl.Addr().String()})
	}
	if len(backends) > 0 {
		srv := &http.Server{Handler: roundRobin(backends), ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
	}

	f, err := prepare(ctx, svc, workers)
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	f.base = issuer
	fmt.Printf("Optare load: %d workers, %s per endpoint, access tokens %s, %s on %s, %d replica(s)\n\n", workers, duration, alg, issuer, engine, max(replicas, 1))
	fmt.Printf("%-30s %10s %10s %10s %10s %8s\n", "endpoint", "requests", "req/s", "p50", "p99", "errors")
	for _, sc := range f.scenarios() {
		if !strings.Contains(sc.name, only) {
			continue
		}
		r := load(sc, workers, duration)
		printResult(sc.name, r)
		if sc.name == refreshName {
			b, err := loadBaseline(ctx, workers, duration)
			if err != nil {
				return fmt.Errorf("baseline: %w", err)
			}
			printResult(baselineName, b)
			fmt.Printf("%-30s %10.2f\n", "refresh / baseline", r.rate/b.rate)
		}
	}
	return nil
}

func printResult(name string, r result) {
	fmt.Printf("%-30s %10d %10.0f %10s %10s %8d\n", name, r.count, r.rate, r.p50.Round(time.Microsecond),
		r.p99.Round(time.Microsecond), r.errors)
}

// loadBaseline serves the baseline (baseline.go) on its own loopback
// port and loads it as the refresh grant was loaded.
func loadBaseline(ctx context.Context, workers int, d time.Duration) (result, error) {
	dir, err := os.MkdirTemp("", "optare-baseline-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	b, err := openBaseline(ctx, dir)
	if err != nil {
		return result{}, err
	}
	defer b.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	srv := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	return load(baselineScenario("http://"+ln.Addr().String()), workers, d), nil
}
