package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/a-h/templ"

	"optare/app"
	"optare/app/browser"
	"optare/app/middleware"
	"optare/views"
)

// The portal's own session keys (the signed-in state is browser's).
const (
	// keyPendingUser and keyPendingAt hold a sign-in whose password was
	// right and whose second factor is still to come.
	keyPendingUser = "pending_user"
	keyPendingAt   = "pending_at"
	keyPendingNext = "pending_next"
)

// Handler serves the portals.
type Handler struct {
	svc      *app.Service
	sessions *browser.Sessions
	log      *slog.Logger
}

// New builds the portal handler on the browser sessions it shares with the
// OAuth pages.
func New(svc *app.Service, sessions *browser.Sessions, log *slog.Logger) *Handler {
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
	status := browser.Status(e.Kind)
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
	page := views.Page{}
	if acc, ok := accountFrom(r.Context()); ok {
		page.User = browser.NavUser(acc)
	}
	h.render(w, r, status, views.ErrorPage(views.ErrorView{Page: page, Status: status, Message: msg}))
}

// render writes a component with a status. It renders into a buffer first,
// so a failing template never sends half a page after a 200.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	w.Header().Add("Vary", "HX-Request")
	if err := browser.Render(w, r, status, c); err != nil {
		h.log.ErrorContext(r.Context(), "render", "id", middleware.RequestID(r.Context()), "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
	}
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
