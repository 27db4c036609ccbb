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
//	go run ./app/loadgen -duration 5s -concurrency 32 [-only license] [-signing-alg ES256]
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
	"strings"
	"time"

	"optare/app"
	"optare/app/cli"
	"optare/store"
)

func main() {
	duration := flag.Duration("duration", 5*time.Second, "how long to load each endpoint")
	concurrency := flag.Int("concurrency", 32, "concurrent workers")
	alg := flag.String("signing-alg", "RS256", "access token algorithm: RS256 or ES256")
	only := flag.String("only", "", "load only the endpoints whose name contains this text")
	flag.Parse()
	if err := run(*duration, *concurrency, *alg, *only); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(duration time.Duration, workers int, alg, only string) error {
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
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	// Rate limits high enough that the load measures the work, not 429s;
	// the limiter still counts every request.
	limits := app.DefaultLimits
	limits.PerCredential.Limit, limits.PerOrganization.Limit = 1<<30, 1<<30
	svc, err := app.New(db, app.Options{Logger: quiet, SigningAlg: alg, Limits: limits})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	issuer := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: cli.NewServer(svc, quiet, issuer).Handler, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	f, err := prepare(ctx, svc, workers)
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	f.base = issuer
	fmt.Printf("Optare load: %d workers, %s per endpoint, access tokens %s, %s\n\n", workers, duration, alg, issuer)
	fmt.Printf("%-30s %10s %10s %10s %10s %8s\n", "endpoint", "requests", "req/s", "p50", "p99", "errors")
	for _, sc := range f.scenarios() {
		if !strings.Contains(sc.name, only) {
			continue
		}
		r := load(sc, workers, duration)
		fmt.Printf("%-30s %10d %10.0f %10s %10s %8d\n", sc.name, r.count, r.rate, r.p50.Round(time.Microsecond),
			r.p99.Round(time.Microsecond), r.errors)
	}
	return nil
}
