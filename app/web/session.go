package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"optare/app"
	"optare/app/middleware"
)

// Session is the signed-in state of a browser, as other doors (the OAuth
// authorize endpoint) need it.
type Session struct {
	Account  app.Account
	AuthTime time.Time // when the user last entered their password
	ID       string    // the OIDC "sid": stable for the life of the session
	// AMR lists how the user signed in (app.AMRPassword, app.AMROTP, …).
	AMR []string
}

// startSession signs acc in: a new session token first, so a token planted
// before sign-in (session fixation) is worth nothing after it.
func (h *Handler) startSession(r *http.Request, acc app.Account, now time.Time, amr []string) error {
	ctx := r.Context()
	sid, err := h.svc.OpenSession(ctx, acc, middleware.ClientIP(r), r.UserAgent())
	if err != nil {
		return err
	}
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Put(ctx, keyUserID, acc.User.ID)
	h.sessions.Put(ctx, keyVersion, acc.User.SessionVersion)
	h.sessions.Put(ctx, keyAuthTime, now.Unix())
	h.sessions.Put(ctx, keySessionID, sid)
	h.sessions.Put(ctx, keyAMR, strings.Join(amr, " "))
	h.sessions.Remove(ctx, keyPendingUser)
	h.sessions.Remove(ctx, keyPendingAt)
	return nil
}

// CurrentSession returns the signed-in session of r, if any and still valid.
// It must run inside the session middleware (Handler.Sessions).
func (h *Handler) CurrentSession(r *http.Request) (Session, bool) {
	ctx := r.Context()
	userID := h.sessions.GetString(ctx, keyUserID)
	if userID == "" {
		return Session{}, false
	}
	acc, err := h.svc.SessionAccount(ctx, userID, h.sessions.GetInt(ctx, keyVersion), h.sessions.GetString(ctx, keySessionID))
	if err != nil {
		if app.ErrorKind(err) == app.KindUnauthenticated {
			// Revoked, disabled or deleted: forget the session for good.
			h.sessions.Destroy(ctx)
		} else {
			h.log.ErrorContext(ctx, "load session account", "err", err)
		}
		return Session{}, false
	}
	return Session{
		Account:  acc,
		AuthTime: time.Unix(h.sessions.GetInt64(ctx, keyAuthTime), 0),
		ID:       h.sessions.GetString(ctx, keySessionID),
		AMR:      strings.Fields(h.sessions.GetString(ctx, keyAMR)),
	}, true
}

// EndSession signs the browser of r out, as an app's logout request
// (RP-initiated logout) asks. It must run inside the session middleware.
func (h *Handler) EndSession(r *http.Request) error { return h.sessions.Destroy(r.Context()) }

// Sessions wraps next in the session middleware, for other doors mounted on
// the same cookie.
func (h *Handler) Sessions(next http.Handler) http.Handler { return h.sessions.LoadAndSave(next) }

// requireAccount lets signed-in users through with their account in the
// context, and sends everyone else to sign in and back.
func (h *Handler) requireAccount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := h.CurrentSession(r)
		if !ok {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(localNext(r.URL.RequestURI())), http.StatusSeeOther)
			return
		}
		if s.Account.NeedsMFASetup() && !mfaSetupPath(r.URL.Path) {
			// The organization requires a second factor and this user has
			// none: set-up comes before anything else.
			http.Redirect(w, r, "/portal/account/authenticator?next="+url.QueryEscape(localNext(r.URL.RequestURI())), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r.WithContext(withAccount(r.Context(), s.Account)))
	})
}

// requireOperator lets only operator owners and admins through; anyone else
// signed in gets a 403 page.
func (h *Handler) requireOperator(next http.Handler) http.Handler {
	return h.requireAccount(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acc, _ := accountFrom(r.Context())
		if !acc.IsOperatorAdmin() {
			h.fail(w, r, &app.Error{Kind: app.KindForbidden, Message: "The admin portal is for the operators of this Optare instance."})
			return
		}
		next.ServeHTTP(w, r)
	}))
}

// localNext keeps a post-login destination only when it is a path on this
// site: "/x" but not "//evil.example" or "/\evil.example", which browsers
// treat as other hosts.
func localNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return ""
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return next
}

// home is where a signed-in account lands.
func home(acc app.Account) string {
	if acc.IsOperatorAdmin() {
		return "/admin/dashboard"
	}
	return "/portal/dashboard"
}
