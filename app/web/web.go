package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"optare/app"
	"optare/app/middleware"
	"optare/views"
)

// Session keys.
const (
	keyUserID    = "user_id"
	keyVersion   = "session_version"
	keyAuthTime  = "auth_time"
	keySessionID = "sid"
	keyAMR       = "amr"
	// keyPendingUser and keyPendingAt hold a sign-in whose password was
	// right and whose second factor is still to come.
	keyPendingUser = "pending_user"
	keyPendingAt   = "pending_at"
	keyPendingNext = "pending_next"
	sessionCookie  = "optare_session"
)

// Handler serves the portals.
type Handler struct {
	svc      *app.Service
	sessions *scs.SessionManager
	log      *slog.Logger
}

// NewSessions builds the session manager: sessions in the database, cookies
// HttpOnly and SameSite=Lax, Secure when the issuer is https.
func NewSessions(store scs.Store, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.IdleTimeout = app.IdleTimeout
	sm.Lifetime = app.SessionLifetime
	sm.HashTokenInStore = true // a leaked database holds no usable cookie
	sm.Cookie.Name = sessionCookie
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	return sm
}

// New builds the portal handler.
func New(svc *app.Service, sessions *scs.SessionManager, log *slog.Logger) *Handler {
	return &Handler{svc: svc, sessions: sessions, log: log}
}

// handlerFunc is a portal handler: it returns its failure instead of
// writing it, so no failure path can forget to stop.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// wrap adapts a handlerFunc, rendering an error page for any error it returns.
func (h *Handler) wrap(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

// fail maps a domain error to an error page, once for the whole door.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := app.AsError(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		e = &app.Error{Kind: app.KindInvalid, Message: "The form is too large."}
	}
	status := statusOf(e.Kind)
	if status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+localNext(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if status >= 500 {
		h.log.ErrorContext(r.Context(), "portal error", "id", middleware.RequestID(r.Context()), "path", r.URL.Path, "err", err)
	}
	msg := e.Message
	if e.Kind == app.KindInternal {
		msg = "" // the view's friendly default; the cause is in the log
	}
	h.render(w, r, status, views.ErrorPage(views.ErrorView{Page: h.errorShell(r), Status: status, Message: msg}))
}

func statusOf(k app.Kind) int {
	switch k {
	case app.KindInvalid:
		return http.StatusUnprocessableEntity
	case app.KindNotFound:
		return http.StatusNotFound
	case app.KindConflict:
		return http.StatusConflict
	case app.KindUnauthenticated:
		return http.StatusUnauthorized
	case app.KindForbidden:
		return http.StatusForbidden
	case app.KindRateLimited:
		return http.StatusTooManyRequests
	case app.KindUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// render writes a component with a status. It renders into a buffer first,
// so a failing template never sends half a page after a 200.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		h.log.ErrorContext(r.Context(), "render", "id", middleware.RequestID(r.Context()), "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Add("Vary", "HX-Request")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// isHTMX reports whether htmx sent the request (and not to restore history,
// which needs the full page).
func isHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}

// redirectAfterPost sends a plain browser on with 303 and htmx with
// HX-Location, since htmx does not follow a 3xx the way a page load does.
func redirectAfterPost(w http.ResponseWriter, r *http.Request, to string) {
	if isHTMX(r) {
		w.Header().Set("HX-Location", to)
		w.WriteHeader(http.StatusOK)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

type ctxKey int

const accountKey ctxKey = iota

func withAccount(ctx context.Context, acc app.Account) context.Context {
	return context.WithValue(ctx, accountKey, acc)
}

func accountFrom(ctx context.Context) (app.Account, bool) {
	acc, ok := ctx.Value(accountKey).(app.Account)
	return acc, ok
}

func navUser(acc app.Account) *views.NavUser {
	return &views.NavUser{Name: acc.User.Name, Email: acc.User.Email, OrgName: acc.Org.Name, IsOperator: acc.IsOperatorAdmin(),
		OrgAdmin: !acc.Operator && (acc.Role == app.RoleOwner || acc.Role == app.RoleAdmin)}
}

// errorShell is the layout of an error page: for a signed-in user the shell
// they were in (top bar and the admin or portal sidebar), so a 404 or 403
// does not lose their way around; for a visitor the bare layout.
func (h *Handler) errorShell(r *http.Request) views.Page {
	acc, ok := accountFrom(r.Context())
	if !ok {
		s, signedIn := h.CurrentSession(r)
		if !signedIn {
			return views.Page{}
		}
		acc = s.Account
	}
	page := views.Page{User: navUser(acc), Section: views.SectionPortal}
	if acc.IsOperatorAdmin() && !strings.HasPrefix(r.URL.Path, "/portal/") {
		page.Section = views.SectionAdmin
	}
	return page
}
