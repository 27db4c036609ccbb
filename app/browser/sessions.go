package browser

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"optare/app"
	"optare/app/middleware"
)

// CookieName is the session cookie's name.
const CookieName = "optare_session"

// Keys of the signed-in state in the session.
const (
	keyUserID    = "user_id"
	keyVersion   = "session_version"
	keyAuthTime  = "auth_time"
	keySessionID = "sid"
	keyAMR       = "amr"
)

// Session is the signed-in state of a browser.
type Session struct {
	Account  app.Account
	AuthTime time.Time // when the user last entered their password
	ID       string    // the OIDC "sid": stable for the life of the session
	// AMR lists how the user signed in (app.AMRPassword, app.AMROTP, …).
	AMR []string
}

// Sessions are the browser sessions: stored in the database, cookies
// HttpOnly and SameSite=Lax, Secure when the issuer is https. The embedded
// manager keeps a door's own values (flash messages, a pending sign-in).
type Sessions struct {
	*scs.SessionManager
	svc *app.Service
	log *slog.Logger
}

// NewSessions builds the session manager over store.
func NewSessions(svc *app.Service, store scs.Store, secure bool, log *slog.Logger) *Sessions {
	sm := scs.New()
	sm.Store = store
	sm.IdleTimeout = app.IdleTimeout
	sm.Lifetime = app.SessionLifetime
	sm.HashTokenInStore = true // a leaked database holds no usable cookie
	sm.Cookie.Name = CookieName
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	return &Sessions{SessionManager: sm, svc: svc, log: log}
}

// Start signs acc in: a new session token first, so a token planted
// before sign-in (session fixation) is worth nothing after it.
func (s *Sessions) Start(r *http.Request, acc app.Account, now time.Time, amr []string) error {
	ctx := r.Context()
	sid, err := s.svc.OpenSession(ctx, acc, middleware.ClientIP(r), r.UserAgent())
	if err != nil {
		return err
	}
	if err := s.RenewToken(ctx); err != nil {
		return err
	}
	s.Put(ctx, keyUserID, acc.User.ID)
	s.Put(ctx, keyVersion, acc.User.SessionVersion)
	s.Put(ctx, keyAuthTime, now.Unix())
	s.Put(ctx, keySessionID, sid)
	s.SetAMR(r, amr)
	return nil
}

// Current returns the signed-in session of r, if any and still valid. It
// must run inside the session middleware (LoadAndSave).
func (s *Sessions) Current(r *http.Request) (Session, bool) {
	ctx := r.Context()
	userID := s.GetString(ctx, keyUserID)
	if userID == "" {
		return Session{}, false
	}
	acc, err := s.svc.SessionAccount(ctx, userID, s.GetInt(ctx, keyVersion), s.GetString(ctx, keySessionID))
	if err != nil {
		if app.ErrorKind(err) == app.KindUnauthenticated {
			// Revoked, disabled or deleted: forget the session for good.
			s.Destroy(ctx)
		} else {
			s.log.ErrorContext(ctx, "load session account", "err", err)
		}
		return Session{}, false
	}
	return Session{
		Account:  acc,
		AuthTime: time.Unix(s.GetInt64(ctx, keyAuthTime), 0),
		ID:       s.GetString(ctx, keySessionID),
		AMR:      s.AMR(r),
	}, true
}

// ID is the OIDC "sid" of the session of r ("" when not signed in).
func (s *Sessions) ID(r *http.Request) string { return s.GetString(r.Context(), keySessionID) }

// AMR is how the user of r signed in.
func (s *Sessions) AMR(r *http.Request) []string {
	return strings.Fields(s.GetString(r.Context(), keyAMR))
}

// SetAMR records how the user of r signed in (after a second factor was
// added, for instance).
func (s *Sessions) SetAMR(r *http.Request, amr []string) {
	s.Put(r.Context(), keyAMR, strings.Join(amr, " "))
}

// Suspend forgets who is signed in on r, keeping the cookie and any other
// value: a sign-in waiting for its second step must not keep an older one.
func (s *Sessions) Suspend(r *http.Request) { s.Remove(r.Context(), keyUserID) }

// End signs the browser of r out.
func (s *Sessions) End(r *http.Request) error { return s.Destroy(r.Context()) }
