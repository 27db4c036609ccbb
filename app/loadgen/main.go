// Command loadgen is the load scenario of `just bench-load`: it starts a
// real Optare server on 127.0.0.1 with a temporary database, creates an
// operator, a customer user with a seat on a product, an API key, a
// confidential client and one grant per worker through the app's own
// methods, then loads each endpoint in turn over loopback — the license
// check with an API key and with a user's access token, the products list,
// the token endpoint (refresh_token, client_credentials), userinfo,
// introspection, JWKS and /healthz as a floor — for a bounded time with
// concurrent workers, and prints requests/s, p50 and p99 per endpoint. It
// stops by itself.
//
// With -pin the server is a process of its own (this program again, with
// -serve: the same service and handler) on CPU 0 with GOMAXPROCS=1, and the
// load workers run on CPU 1, so the server has a core to itself; it also
// prints the server's CPU time per request and how busy each core was.
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
//	go run ./app/loadgen -duration 5s -concurrency 32 [-only license] [-signing-alg ES256] [-engine postgres -replicas 2] [-pin]
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

// config is the run the flags ask for.
type config struct {
	duration          time.Duration
	workers           int
	alg, only, engine string
	replicas          int
	pin               bool
}

func main() {
	var c config
	flag.DurationVar(&c.duration, "duration", 5*time.Second, "how long to load each endpoint")
	flag.IntVar(&c.workers, "concurrency", 32, "concurrent workers")
	flag.StringVar(&c.alg, "signing-alg", "RS256", "access token algorithm: RS256 or ES256")
	flag.StringVar(&c.only, "only", "", "load only the endpoints whose name contains this text")
	flag.StringVar(&c.engine, "engine", "sqlite", "sqlite, or postgres (the server in OPTARE_TEST_POSTGRES)")
	flag.IntVar(&c.replicas, "replicas", 1, "servers behind a round-robin proxy (postgres only)")
	flag.BoolVar(&c.pin, "pin", false, fmt.Sprintf("run the server as its own process on CPU %d with GOMAXPROCS=1, the load on CPU %d", serverCPU, loadCPU))
	serve := flag.String("serve", "", "internal: be the server -pin starts, on this database and the listener in fd 3")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the load (server and load generator; with -pin the load generator only) to this file")
	flag.Parse()
	if *cpuProfile != "" && *serve == "" {
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
	var err error
	if *serve != "" {
		err = serveInherited(*serve, c.alg)
	} else {
		err = run(c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newService is the server's service on db as every mode runs it, with
// rate limits high enough that the load measures the work, not 429s; the
// limiter still counts every request.
func newService(db *store.DB, alg, issuer string) (*app.Service, error) {
	limits := app.DefaultLimits
	limits.PerCredential.Limit, limits.PerOrganization.Limit = 1<<30, 1<<30
	return app.New(db, app.Options{Logger: quiet, SigningAlg: alg, Limits: limits, Issuer: issuer})
}

// serveInherited is the server process of -pin: pinned to serverCPU, it
// serves dsn on the listener its parent handed down until the parent
// kills it.
func serveInherited(dsn, alg string) error {
	if err := pin(serverCPU); err != nil {
		return err
	}
	ln, err := listenerFromParent()
	if err != nil {
		return err
	}
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	issuer := "http://" + ln.Addr().String()
	svc, err := newService(db, alg, issuer)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: cli.NewServer(svc, quiet, issuer).Handler, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

func run(c config) error {
	ctx := context.Background()
	var dsn string
	switch c.engine {
	case "sqlite":
		if c.replicas != 1 {
			return fmt.Errorf("-replicas %d: one process owns an SQLite file; use -engine postgres", c.replicas)
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
		return fmt.Errorf("-engine %q: sqlite or postgres", c.engine)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	issuer := "http://" + ln.Addr().String()
	var f *fixture
	server := 0 // the server's pid with -pin
	if c.pin {
		fx, pid, stop, err := startPinned(ctx, c, dsn, ln)
		if err != nil {
			return err
		}
		defer stop()
		f, server = fx, pid
	} else {
		var svc *app.Service
		var backends []*url.URL
		for i := range max(c.replicas, 1) {
			db, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				return err
			}
			defer db.Close()
			s, err := newService(db, c.alg, issuer)
			if err != nil {
				return err
			}
			if i == 0 {
				svc = s
			}
			h := cli.NewServer(s, quiet, issuer).Handler
			if c.replicas <= 1 {
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
		if f, err = prepare(ctx, svc, c.workers); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
	}
	f.base = issuer
	fmt.Printf("Optare load: %d workers, %s per endpoint, access tokens %s, %s on %s, %d replica(s)\n", c.workers, c.duration, c.alg, issuer, c.engine, max(c.replicas, 1))
	if c.pin {
		fmt.Printf("server: process %d on CPU %d, GOMAXPROCS=1; load: CPU %d, GOMAXPROCS=1\n", server, serverCPU, loadCPU)
	}
	fmt.Printf("\n%-30s %10s %10s %10s %10s %8s", "endpoint", "requests", "req/s", "p50", "p99", "errors")
	if c.pin {
		fmt.Printf(" %14s %12s %11s %10s", "server µs/req", "load µs/req", "server core", "load core")
	}
	fmt.Println()
	for _, sc := range f.scenarios() {
		if !strings.Contains(sc.name, c.only) {
			continue
		}
		var srv0, self0 time.Duration
		if c.pin {
			if srv0, err = processCPU(server); err != nil {
				return err
			}
			self0 = selfCPU()
		}
		r := load(sc, c.workers, c.duration)
		fmt.Printf("%-30s %10d %10.0f %10s %10s %8d", sc.name, r.count, r.rate, r.p50.Round(time.Microsecond),
			r.p99.Round(time.Microsecond), r.errors)
		if c.pin {
			srv1, err := processCPU(server)
			if err != nil {
				return err
			}
			// CPU per request is the steady figure; each core's share of
			// the elapsed time says which side was the bottleneck.
			srv, self, n := srv1-srv0, selfCPU()-self0, float64(max(r.count, 1))
			fmt.Printf(" %14.0f %12.0f %10.0f%% %9.0f%%", float64(srv.Microseconds())/n, float64(self.Microseconds())/n,
				100*srv.Seconds()/r.elapsed.Seconds(), 100*self.Seconds()/r.elapsed.Seconds())
		}
		fmt.Println()
		// The baseline runs in this process; with -pin that is the load's
		// core, where it would not compare with the pinned server.
		if sc.name == refreshName && !c.pin {
			b, err := loadBaseline(ctx, c.workers, c.duration)
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
