package app

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"optare/app/metrics"
	"optare/app/oidc"
	"optare/app/webhook"
	"optare/store"
)

// Service runs Optare's use cases against one database.
type Service struct {
	db       *store.DB
	now      func() time.Time
	log      *slog.Logger
	password PasswordParams
	// dummyHash is verified when an email is unknown, so a failed sign-in
	// takes as long whether or not the account exists.
	dummyHash string
	dummyOnce sync.Once
	// In-memory state of the REST API, each behind a small type.
	limits       Limits
	limiter      *limiter // per credential, organization, anonymous IP
	authFailures *limiter // failed API-key authentications per IP
	keyUsage     *keyUsage
	usage        *usageCounts
	// metrics are the Prometheus figures; usageRetention how long hourly
	// usage is kept.
	metrics        *metrics.Metrics
	usageRetention time.Duration
	lastSnapshot   atomic.Int64 // hour (Unix) of the last seats snapshot
	// accessAlg signs access tokens (RS256 or ES256); ID tokens are RS256.
	accessAlg string
	// keys caches the parsed signing keys for the whole process.
	keys keyCache
	// cache holds what the hot paths re-read (hot_caches.go).
	cache hotCaches
	// jwks caches the key sets of private_key_jwt clients' jwks_uri.
	jwks *jwksCache
	// issuer is the OpenID issuer, set by the wiring (SetIssuer).
	issuer atomic.Pointer[string]
	// webhooks sends webhook messages (SSRF-guarded unless allowed).
	webhooks *webhook.Sender
	// sealer encrypts authenticator-app secrets at rest; nil turns
	// authenticator apps off.
	sealer Sealer
	// mailer sends email; nil without SMTP.
	mailer Mailer
	// auditRetention is how long audit entries are kept (0: forever).
	auditRetention time.Duration
}

// Options configures New; the zero value is production's choice.
type Options struct {
	Now      func() time.Time // nil: the database's clock (store.Options.Now)
	Logger   *slog.Logger     // nil: slog.Default()
	Password PasswordParams   // zero: DefaultPasswordParams
	Limits   Limits           // zero: DefaultLimits
	// SigningAlg is the algorithm of access tokens: "RS256" (the default)
	// or "ES256". ID tokens are always RS256, OpenID Connect's default.
	SigningAlg string
	// Issuer is the OpenID issuer URL; SetIssuer can set it later.
	Issuer string
	// WebhooksAllowPrivate lets webhooks reach private, loopback and
	// link-local addresses (serve --webhooks-allow-private; tests).
	WebhooksAllowPrivate bool
	// Sealer encrypts secrets at rest; nil uses the database's
	// key-encryption key (the signing keys' one), and without that
	// authenticator apps are off.
	Sealer Sealer
	// Mailer sends email (invitations, password resets, notices); nil
	// keeps the copy-a-link flows.
	Mailer Mailer
	// Metrics receives the Prometheus figures; nil: a private set.
	Metrics *metrics.Metrics
	// UsageRetention is how long hourly usage is kept; zero:
	// DefaultUsageRetention.
	UsageRetention time.Duration
	// AuditRetention makes the sweep delete audit entries older than this
	// (serve --audit-retention); zero keeps everything.
	AuditRetention time.Duration
}

// New builds the service on an open database.
func New(db *store.DB, opt Options) (*Service, error) {
	s := &Service{db: db, now: opt.Now, log: opt.Logger, password: opt.Password, auditRetention: opt.AuditRetention,
		sealer: opt.Sealer, mailer: opt.Mailer}
	if s.sealer == nil {
		// The key-encryption key of the signing keys (OPTARE_ENCRYPTION_KEY
		// or the key file), when the database was opened with one.
		if ss := db.SecretSealer(); ss != nil {
			s.sealer = ss
		}
	}
	if s.now == nil {
		// One clock: what the service reads outside a transaction is
		// what every transaction's Tx.Now reads.
		s.now = db.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.limits = opt.Limits
	if s.limits == (Limits{}) {
		s.limits = DefaultLimits
	}
	s.limiter, s.authFailures, s.keyUsage = newLimiter(s.now, db), newLimiter(s.now, db), newKeyUsage()
	s.usage, s.metrics, s.usageRetention = newUsageCounts(), opt.Metrics, opt.UsageRetention
	if s.metrics == nil {
		s.metrics = metrics.New()
	}
	s.metrics.Pools(db.PoolStats)
	if s.usageRetention <= 0 {
		s.usageRetention = DefaultUsageRetention
	}
	s.jwks = newJWKSCache()
	s.cache = newHotCaches()
	switch opt.SigningAlg {
	case "", oidc.AlgRS256:
		s.accessAlg = oidc.AlgRS256
	case oidc.AlgES256:
		s.accessAlg = oidc.AlgES256
	default:
		return nil, fmt.Errorf("signing algorithm %q: choose RS256 or ES256", opt.SigningAlg)
	}
	s.SetIssuer(opt.Issuer)
	s.webhooks = webhook.NewSender(opt.WebhooksAllowPrivate)
	if s.password == (PasswordParams{}) {
		s.password = DefaultPasswordParams
	}
	return s, nil
}

// unknownUserHash is the hash verified when an email is unknown, made on
// the first such sign-in rather than at start: every CLI command builds a
// Service, and argon2 costs 19 MiB and tens of milliseconds.
func (s *Service) unknownUserHash() string {
	s.dummyOnce.Do(func() {
		// hashPassword fails only if the system's random source does; a
		// malformed hash then makes verification fail closed.
		s.dummyHash, _ = hashPassword(s.password, newSecret(""))
	})
	return s.dummyHash
}

// Metrics are the service's Prometheus figures, for the /metrics endpoint.
func (s *Service) Metrics() *metrics.Metrics { return s.metrics }

// Ready reports whether the database answers (for /readyz).
func (s *Service) Ready(ctx context.Context) error { return s.db.Ping(ctx) }

// Backup writes a consistent copy of the live database to path.
func (s *Service) Backup(ctx context.Context, path string) error { return s.db.Backup(ctx, path) }

// SessionStore is where the portals keep web sessions (an scs store).
func (s *Service) SessionStore() *store.Sessions { return s.db.Sessions() }

// Now is the service's clock, for doors that record times the domain later
// compares (a web session's authentication time).
func (s *Service) Now() time.Time { return s.now() }
