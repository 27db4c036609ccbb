package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

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
	if err := h.render(w, r, status, views.ErrorPage(views.ErrorView{Page: h.errorShell(r), Status: status, Message: msg})); err != nil {
		h.log.ErrorContext(r.Context(), "render error page", "id", middleware.RequestID(r.Context()), "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
	}
}

// render writes a component with a status. browser.Render renders into a
// buffer first, so a failing template never sends half a page after a 200;
// its error comes back to the handler, which returns it to wrap.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	w.Header().Add("Vary", "HX-Request")
	if err := browser.Render(w, r, status, c); err != nil {
		return fmt.Errorf("render %s: %w", r.URL.Path, err)
	}
	return nil
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

// errorShell is the layout of an error page: for a signed-in user the shell
// they were in (top bar and the admin or portal sidebar), so a 404 or 403
// does not lose their way around; for a visitor the bare layout.
func (h *Handler) errorShell(r *http.Request) views.Page {
	acc, ok := accountFrom(r.Context())
	if !ok {
		s, signedIn := h.sessions.Current(r)
		if !signedIn {
			return views.Page{}
		}
		acc = s.Account
	}
	page := views.Page{User: browser.NavUser(acc), Section: views.SectionPortal}
	if acc.IsOperatorAdmin() && !strings.HasPrefix(r.URL.Path, "/portal/") {
		page.Section = views.SectionAdmin
	}
	return page
}

// accountFunc is a handler of a signed-in page. Like the REST door's
// handlers it receives who acts: the account, and the domain actor it is
// from this request's address.
type accountFunc func(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error

// signed adapts an accountFunc to a handlerFunc, reading the account that
// requireAccount put in the request's context.
func signed(fn accountFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		acc, ok := accountFrom(r.Context())
		if !ok {
			return &app.Error{Kind: app.KindUnauthenticated}
		}
		return fn(w, r, acc, acc.Actor(middleware.ClientIP(r)))
	}
}

// member serves a portal page to any signed-in user.
func (h *Handler) member(fn accountFunc) http.Handler {
	return h.requireAccount(h.wrap(signed(fn)))
}

// memberFresh is member for changes that need a recent sign-in.
func (h *Handler) memberFresh(fn accountFunc) http.Handler {
	return h.requireAccount(h.requireFresh(h.wrap(signed(fn))))
}

// operator serves an admin page to operator owners and admins.
func (h *Handler) operator(fn accountFunc) http.Handler {
	return h.requireOperator(h.wrap(signed(fn)))
}

// operatorFresh is operator for changes that need a recent sign-in.
func (h *Handler) operatorFresh(fn accountFunc) http.Handler {
	return h.requireOperator(h.requireFresh(h.wrap(signed(fn))))
}
