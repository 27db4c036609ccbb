package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"
	"time"

	"optare/app"
)

// pprofHandler serves Go's profiles (net/http/pprof) to operator admins
// only: an API key of the operator organization (Bearer key_… with
// X-API-Secret) or an access token of one of its owners or admins. A
// profile shows the server's code paths and timings, never a secret, but
// it costs CPU while it runs, so nobody else may start one.
func pprofHandler(svc *app.Service) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bearer := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		a, err := svc.AuthenticateAPI(r.Context(), app.BearerRequest(bearer), r.Header.Get("X-API-Secret"), host)
		switch {
		case err != nil:
			w.Header().Set("WWW-Authenticate", `Bearer realm="pprof"`)
			http.Error(w, "profiles need an operator admin's API key or access token", http.StatusUnauthorized)
			return
		case !a.IsOperatorAdmin():
			http.Error(w, "profiles are for operator admins", http.StatusForbidden)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// servePprof runs the profiles on their own listener (serve --pprof-addr)
// until ctx ends.
func servePprof(ctx context.Context, ln net.Listener, svc *app.Service, log *slog.Logger) {
	hs := &http.Server{Handler: pprofHandler(svc), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)} // no write timeout: a CPU profile takes its ?seconds=
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	log.Info("pprof listening", "addr", ln.Addr().String())
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("pprof server", "err", fmt.Errorf("serve pprof: %w", err))
	}
}
