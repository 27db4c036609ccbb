package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"optare/app"
)

// startSession signs acc in (see browser.Sessions.Start), ending any
// sign-in that was waiting for its second step.
func (h *Handler) startSession(r *http.Request, acc app.Account, now time.Time, amr []string) error {
	if err := h.sessions.Start(r, acc, now, amr); err != nil {
		return err
	}
	h.sessions.Remove(r.Context(), keyPendingUser)
	h.sessions.Remove(r.Context(), keyPendingAt)
	return nil
}

// requireAccount lets signed-in users through with their account in the
// context, and sends everyone else to sign in and back.
func (h *Handler) requireAccount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := h.sessions.Current(r)
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
