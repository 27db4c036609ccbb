package oauth

import (
	"errors"
	"log/slog"
	"net/http"
	"path"

	"github.com/a-h/templ"

	"optare/app"
	"optare/app/browser"
	"optare/app/middleware"
	"optare/app/oidc"
	"optare/views"
)

// Handler serves the OAuth and OpenID Connect endpoints.
type Handler struct {
	svc      *app.Service
	sessions *browser.Sessions
	log      *slog.Logger
}

// New builds the handler on the browser sessions it shares with the
// portals (authorize, logout and the device page need the signed-in user).
func New(svc *app.Service, sessions *browser.Sessions, log *slog.Logger) *Handler {
	return &Handler{svc: svc, sessions: sessions, log: log}
}

// handlerFunc is an endpoint that returns its failure instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// jsonEndpoint adapts the token, revocation and introspection endpoints:
// an *oidc.Error is written as RFC 6749 §5.2 JSON (401 with
// WWW-Authenticate for invalid_client), anything else as server_error.
func (h *Handler) jsonEndpoint(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		var oe *oidc.Error
		if !errors.As(err, &oe) {
			h.logError(r, err)
			oe = oidc.ServerError("")
		}
		h.failed(r, oe.Code)
		oidc.WriteJSON(w, oe)
	})
}

// bearerEndpoint adapts protected resources (userinfo): a refused token is
// a Bearer challenge, 401 invalid_token or 403 insufficient_scope; a
// refused DPoP proof, or any refusal of a request made with the DPoP
// scheme, is a DPoP challenge (RFC 9449 §7.1).
func (h *Handler) bearerEndpoint(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		write := oidc.WriteBearerError
		if scheme, _, _ := oidc.ParseAuthorization(r.Header.Get("Authorization")); scheme == oidc.SchemeDPoP || app.IsDPoPError(err) {
			write = oidc.WriteDPoPError
		}
		var oe *oidc.Error
		if errors.As(err, &oe) {
			if oe.Code == oidc.CodeInvalidDPoPProof {
				write = oidc.WriteDPoPError
			}
			h.failed(r, oe.Code)
			write(w, oe)
			return
		}
		e := app.AsError(err)
		switch e.Kind {
		case app.KindUnauthenticated:
			oe = oidc.InvalidToken(e.Message)
			if e.Code == oidc.CodeInvalidDPoPProof {
				oe = oidc.NewError(oidc.CodeInvalidDPoPProof, e.Message)
			}
		case app.KindForbidden:
			oe = oidc.NewError(oidc.CodeInsufficientScope, e.Message)
		default:
			h.logError(r, err)
			h.failed(r, oidc.CodeServerError)
			oidc.WriteJSON(w, oidc.ServerError(""))
			return
		}
		h.failed(r, oe.Code)
		write(w, oe)
	})
}

// pageEndpoint adapts the browser endpoints: any error is an error page.
// Protocol errors reaching here are the ones that must not be redirected
// (unknown client, bad redirect URI).
func (h *Handler) pageEndpoint(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.errorPage(w, r, err)
		}
	})
}

func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	v := views.ErrorView{Status: http.StatusBadRequest}
	var oe *oidc.Error
	if errors.As(err, &oe) {
		h.failed(r, oe.Code)
		v.Title = "This sign-in request cannot be completed"
		v.Message = oe.Code + ": " + oe.Description
		v.Status = oe.StatusCode()
	} else {
		e := app.AsError(err)
		v.Status, v.Message = pageStatus(e.Kind), e.Message
		if e.Kind == app.KindInternal {
			h.logError(r, err)
			v.Message = ""
		}
	}
	h.render(w, r, v.Status, views.ErrorPage(v))
}

// failed counts a refused OAuth request under its endpoint (the last path
// segment of a route this handler mounts: token, userinfo, authorize, ...).
func (h *Handler) failed(r *http.Request, code string) {
	h.svc.RecordOAuthFailure(path.Base(r.URL.Path), code)
}

// pageStatus is the OAuth pages' answer to an app error kind: a request
// that cannot be served is a 400, as RFC 6749 answers invalid_request;
// every other kind as on any HTML page.
func pageStatus(k app.Kind) int {
	if k == app.KindInvalid {
		return http.StatusBadRequest
	}
	return browser.Status(k)
}

// render writes a component with a status, rendering into a buffer first.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	if err := browser.Render(w, r, status, c); err != nil {
		h.logError(r, err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
	}
}

func (h *Handler) logError(r *http.Request, err error) {
	h.log.ErrorContext(r.Context(), "oauth error", "id", middleware.RequestID(r.Context()), "path", r.URL.Path, "err", err)
}
