package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
	"optare/app/api"
	"optare/app/browser"
	"optare/app/metrics"
	"optare/app/middleware"
	"optare/app/oauth"
	"optare/app/smtpmail"
	"optare/app/web"
	"optare/static"
)

func serveCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "serve",
		Usage: "run the server",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "addr", Usage: "address to listen on", EnvVars: []string{"OPTARE_ADDR"}, Value: ":8080"},
			&ucli.StringFlag{Name: "issuer", Usage: "public URL of this instance (the OpenID issuer)", EnvVars: []string{"OPTARE_ISSUER"}, Value: "http://localhost:8080"},
			&ucli.BoolFlag{Name: "webhooks-allow-private", Usage: "let webhooks reach private, loopback and link-local addresses (off: such targets are refused)", EnvVars: []string{"OPTARE_WEBHOOKS_ALLOW_PRIVATE"}},
			&ucli.StringFlag{Name: "smtp-url", Usage: "send email through this server: smtp://user:pass@host:587 (STARTTLS) or smtps://… (TLS)", EnvVars: []string{"OPTARE_SMTP_URL"}},
			&ucli.StringFlag{Name: "mail-from", Usage: "sender of Optare's email, e.g. \"Optare <id@example.com>\"", EnvVars: []string{"OPTARE_MAIL_FROM"}},
			&ucli.StringFlag{Name: "metrics-addr", Usage: "serve Prometheus /metrics on this address, e.g. 127.0.0.1:9464 (off when empty; the same address as --addr needs --metrics-token)", EnvVars: []string{"OPTARE_METRICS_ADDR"}},
			&ucli.StringFlag{Name: "pprof-addr", Usage: "serve Go profiles (/debug/pprof/) to operator admins on this address, e.g. 127.0.0.1:6060 (off when empty)", EnvVars: []string{"OPTARE_PPROF_ADDR"}},
			&ucli.StringFlag{Name: "metrics-token", Usage: "bearer token Prometheus must send for /metrics", EnvVars: []string{"OPTARE_METRICS_TOKEN"}},
			&ucli.IntFlag{Name: "usage-retention-days", Usage: "days of hourly usage to keep", EnvVars: []string{"OPTARE_USAGE_RETENTION_DAYS"}, Value: 90},
			&ucli.StringSliceFlag{Name: "trusted-proxy", Usage: "CIDR or address of a reverse proxy whose X-Forwarded-For/Forwarded names the client (repeatable)", EnvVars: []string{"OPTARE_TRUSTED_PROXIES"}},
			&ucli.StringFlag{Name: "audit-retention", Usage: "delete audit entries older than this, e.g. 400d or 9000h (default: keep everything)", EnvVars: []string{"OPTARE_AUDIT_RETENTION"}},
			&ucli.IntFlag{Name: "rate-limit-key", Usage: "default REST API requests per minute per API key or user", EnvVars: []string{"OPTARE_RATE_LIMIT_KEY"}, Value: app.DefaultLimits.PerCredential.Limit},
			&ucli.IntFlag{Name: "rate-limit-org", Usage: "default REST API requests per hour per organization", EnvVars: []string{"OPTARE_RATE_LIMIT_ORG"}, Value: app.DefaultLimits.PerOrganization.Limit},
			&ucli.StringFlag{Name: "signing-alg", Usage: "algorithm of access tokens: RS256 or ES256 (ID tokens are always RS256)", EnvVars: []string{"OPTARE_SIGNING_ALG"}, Value: "RS256"},
		},
		Action: e.serve,
	}
}

func (e *env) serve(c *ucli.Context) error {
	issuer, err := parseIssuer(c.String("issuer"))
	if err != nil {
		return usageError{err.Error()}
	}
	mo := metricsOptions{addr: c.String("metrics-addr"), token: c.String("metrics-token")}
	mo.public = mo.addr != "" && mo.addr == c.String("addr")
	if err := mo.check(); err != nil {
		return err
	}
	if c.Int("usage-retention-days") < 1 {
		return usageError{"--usage-retention-days must be at least 1"}
	}
	proxies, err := middleware.ParseProxies(c.StringSlice("trusted-proxy"))
	if err != nil {
		return usageError{"--trusted-proxy: " + err.Error()}
	}
	retention, err := parseRetention(c.String("audit-retention"))
	if err != nil {
		return usageError{err.Error()}
	}
	limits := app.DefaultLimits
	limits.PerCredential.Limit, limits.PerOrganization.Limit = c.Int("rate-limit-key"), c.Int("rate-limit-org")
	if limits.PerCredential.Limit < 1 || limits.PerOrganization.Limit < 1 {
		return usageError{"--rate-limit-key and --rate-limit-org: give at least 1 request"}
	}
	app.LimitMemory()
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	mailer, err := buildMailer(c.String("smtp-url"), c.String("mail-from"))
	if err != nil {
		return usageError{err.Error()}
	}
	svc, closeDB, err := openServiceWith(c, app.Options{Logger: log, SigningAlg: c.String("signing-alg"), Issuer: issuer, AuditRetention: retention, Limits: limits,
		WebhooksAllowPrivate: c.Bool("webhooks-allow-private"), Mailer: mailer,
		Metrics: metrics.New(), UsageRetention: time.Duration(c.Int("usage-retention-days")) * 24 * time.Hour})
	if err != nil {
		return err
	}
	defer closeDB()
	if err := svc.CheckSealer(c.Context); err != nil {
		return fmt.Errorf("encryption key: %w", err)
	}
	if err := svc.EnsureSigningKeys(c.Context); err != nil {
		return err
	}
	if _, err := app.PasskeyConfig(issuer); err != nil {
		log.Warn(err.Error())
	}
	ln, err := net.Listen("tcp", c.String("addr"))
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.String("addr"), err)
	}
	var mln net.Listener
	if mo.addr != "" && !mo.public {
		if mln, err = net.Listen("tcp", mo.addr); err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s: %w", mo.addr, err)
		}
	}
	if addr := c.String("pprof-addr"); addr != "" {
		if addr == c.String("addr") || addr == mo.addr {
			ln.Close()
			return usageError{"--pprof-addr needs an address of its own"}
		}
		pln, err := net.Listen("tcp", addr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s: %w", addr, err)
		}
		go servePprof(c.Context, pln, svc, log)
	}
	return runServer(c.Context, ln, mln, mo, svc, log, ServerConfig{Issuer: issuer, TrustedProxies: proxies}, e.stdout)
}

// parseRetention reads --audit-retention: days ("400d") or a Go duration
// ("9600h"); empty keeps everything. Under a day is refused: a retention
// that short is a typo, not a policy.
func parseRetention(raw string) (time.Duration, error) {
	if raw == "" {
		return 0, nil
	}
	var d time.Duration
	if days, ok := strings.CutSuffix(raw, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, fmt.Errorf("--audit-retention %q: give days such as 400d or hours such as 9600h", raw)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(raw); err != nil {
			return 0, fmt.Errorf("--audit-retention %q: give days such as 400d or hours such as 9600h", raw)
		}
	}
	if d < 24*time.Hour {
		return 0, fmt.Errorf("--audit-retention %q: keep audit entries at least one day (1d)", raw)
	}
	return d, nil
}

// parseIssuer checks the public URL: absolute http(s), no query or fragment,
// no trailing slash (the issuer must match the "iss" claim byte for byte).
func parseIssuer(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("--issuer %q: give an absolute http(s) URL such as https://id.example.com", raw)
	}
	return strings.TrimSuffix(raw, "/"), nil
}

// Server is a wired Optare HTTP handler with its background work.
type Server struct {
	Handler http.Handler
	svc     *app.Service
	log     *slog.Logger
}

// ServerConfig is how serve's flags shape the HTTP server.
type ServerConfig struct {
	Issuer         string
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For/Forwarded is believed
}

// NewServer mounts every door on one mux. Tests use it with httptest.
func NewServer(svc *app.Service, log *slog.Logger, issuer string) *Server {
	return NewServerWith(svc, log, ServerConfig{Issuer: issuer})
}

// NewServerWith is NewServer with every serve setting.
func NewServerWith(svc *app.Service, log *slog.Logger, cfg ServerConfig) *Server {
	issuer := cfg.Issuer
	// One browser session store for both doors a browser uses: signing in
	// on the portal is what the OAuth pages see.
	sessions := browser.NewSessions(svc, svc.SessionStore(), strings.HasPrefix(issuer, "https://"), log)
	portal := web.New(svc, sessions, log)
	svc.SetIssuer(issuer)

	mux := http.NewServeMux()
	mux.Handle("GET /static/", static.Handler())
	mux.Handle("GET /favicon.ico", http.RedirectHandler(static.Path("favicon.svg"), http.StatusMovedPermanently))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := svc.Ready(r.Context()); err != nil {
			log.ErrorContext(r.Context(), "readiness", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("database unavailable\n"))
			return
		}
		w.Write([]byte("ready\n"))
	})
	// The REST API takes bearer credentials, not the portals' cookies: it
	// sits outside their session and cross-origin middleware.
	rest := middleware.Route(api.New(svc, log).Routes())
	mux.Handle("/api/v1/", http.StripPrefix("/api/v1", rest))
	mux.Handle("/v1/", http.StripPrefix("/v1", rest))
	oauth.New(svc, sessions, log).Mount(mux)
	mux.Handle("/", portal.Routes())

	h := middleware.TrustProxies(cfg.TrustedProxies,
		middleware.Log(log, middleware.Recover(log, middleware.SecurityHeaders(middleware.Measure(svc, middleware.LimitBody(mux))))))
	return &Server{Handler: h, svc: svc, log: log}
}

// runServer runs the server on ln until ctx ends, then shuts down gracefully:
// in-flight requests get up to 20 seconds to finish.
// With mln, /metrics is served there; with mo.public, on ln behind the token.
func runServer(ctx context.Context, ln, mln net.Listener, mo metricsOptions, svc *app.Service, log *slog.Logger, cfg ServerConfig, out io.Writer) error {
	srv := NewServerWith(svc, log, cfg)
	issuer := cfg.Issuer
	handler := srv.Handler
	if mo.public {
		handler = withPublicMetrics(handler, svc.Metrics(), mo.token)
	}
	token, err := svc.NewSetupLink(ctx)
	if err != nil {
		return err
	}
	if token != "" {
		fmt.Fprintf(out, "\nOptare is not set up yet. Open this one-time link to create the first operator account\n(valid for 24 hours; restart to get a new one):\n\n    %s/setup?token=%s\n\n", issuer, token)
	}
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	sweepCtx, stopSweep := context.WithCancel(context.Background())
	defer stopSweep()
	go srv.repeat(sweepCtx, time.Minute, "sweep", svc.AsLeader(svc.Sweep))
	go srv.repeat(sweepCtx, time.Second, "webhooks", svc.AsLeader(func(ctx context.Context) error {
		// Drain: a busy outbox is sent in back-to-back passes.
		for {
			n, err := svc.DeliverWebhooks(ctx)
			if err != nil || n == 0 || ctx.Err() != nil {
				return err
			}
		}
	}))
	go srv.repeat(sweepCtx, app.KeyUsageFlushInterval, "flush usage", svc.FlushAPIKeyUsage)
	defer func() {
		// Last-used times and usage counted since the last flush survive
		// shutdown.
		if err := svc.FlushAPIKeyUsage(context.Background()); err != nil {
			log.Error("flush usage", "err", err)
		}
	}()
	if mln != nil {
		go serveMetrics(sweepCtx, mln, svc.Metrics(), mo.token, log)
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "issuer", issuer)
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// repeat runs fn every interval until ctx ends: the periodic sweep and the
// batched write of API keys' last-used times.
func (s *Server) repeat(ctx context.Context, every time.Duration, what string, fn func(context.Context) error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := fn(ctx); err != nil && ctx.Err() == nil {
				s.log.Error(what, "err", err)
			}
		}
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// buildMailer checks --smtp-url and --mail-from: both or neither.
func buildMailer(smtpURL, from string) (app.Mailer, error) {
	switch {
	case smtpURL == "" && from == "":
		return nil, nil
	case smtpURL == "" || from == "":
		return nil, errors.New("--smtp-url and --mail-from go together")
	}
	m, err := smtpmail.New(smtpURL, from)
	if err != nil {
		return nil, err
	}
	return m, nil
}
