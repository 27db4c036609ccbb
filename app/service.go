package app

import (
	"context"
	"log/slog"
	"time"

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
	// In-memory state of the REST API, each behind a small type.
	limits       Limits
	limiter      *limiter // per credential, organization, anonymous IP
	authFailures *limiter // failed API-key authentications per IP
	keyUsage     *keyUsage
}

// Options configures New; the zero value is production's choice.
type Options struct {
	Now      func() time.Time // nil: time.Now
	Logger   *slog.Logger     // nil: slog.Default()
	Password PasswordParams   // zero: DefaultPasswordParams
	Limits   Limits           // zero: DefaultLimits
}

// New builds the service on an open database.
func New(db *store.DB, opt Options) (*Service, error) {
	s := &Service{db: db, now: opt.Now, log: opt.Logger, password: opt.Password}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.limits = opt.Limits
	if s.limits == (Limits{}) {
		s.limits = DefaultLimits
	}
	s.limiter, s.authFailures, s.keyUsage = newLimiter(s.now), newLimiter(s.now), newKeyUsage()
	if s.password == (PasswordParams{}) {
		s.password = DefaultPasswordParams
	}
	h, err := hashPassword(s.password, newSecret(""))
	if err != nil {
		return nil, err
	}
	s.dummyHash = h
	return s, nil
}

// Ready reports whether the database answers (for /readyz).
func (s *Service) Ready(ctx context.Context) error { return s.db.Ping(ctx) }

// Backup writes a consistent copy of the live database to path.
func (s *Service) Backup(ctx context.Context, path string) error { return s.db.Backup(ctx, path) }

// SessionStore is where the portals keep web sessions (an scs store).
func (s *Service) SessionStore() *store.Sessions { return s.db.Sessions() }
