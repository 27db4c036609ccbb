package cli

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"optare/app/metrics"
)

// metricsOptions is where /metrics is served: its own listener (the
// default when --metrics-addr is set), or the public one when
// --metrics-addr names the same address as --addr, then only with a token.
type metricsOptions struct {
	addr, token string
	public      bool
}

func (o metricsOptions) check() error {
	if o.public && o.token == "" {
		return usageError{"--metrics-addr is the public address: set --metrics-token so that only Prometheus can read /metrics"}
	}
	return nil
}

// metricsHandler serves the registry; with a token, only to requests that
// present it as "Authorization: Bearer TOKEN" (compared in constant time).
func metricsHandler(m *metrics.Metrics, token string) http.Handler {
	inner := m.Handler()
	if token == "" {
		return inner
	}
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := sha256.Sum256([]byte(strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need the bearer token given to --metrics-token", http.StatusUnauthorized)
			return
		}
		inner.ServeHTTP(w, r)
	})
}

// withPublicMetrics answers GET /metrics on the public handler before any
// other route (outside the request log and counters of the portals).
func withPublicMetrics(h http.Handler, m *metrics.Metrics, token string) http.Handler {
	mh := metricsHandler(m, token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			mh.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// serveMetrics runs /metrics on its own listener until ctx ends.
func serveMetrics(ctx context.Context, ln net.Listener, m *metrics.Metrics, token string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metricsHandler(m, token))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	log.Info("metrics listening", "addr", ln.Addr().String())
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("metrics server", "err", fmt.Errorf("serve metrics: %w", err))
	}
}
