package web

import (
	"net/http"
	"net/url"
	"time"
)

// FreshSignIn is how recent a sign-in must be for sensitive changes:
// password, passkeys, second factors, API keys and client secrets.
const FreshSignIn = 10 * time.Minute

// requireFresh sends a browser whose sign-in is older than FreshSignIn to
// sign in again, and back. A GET comes back to itself; a POST, which cannot
// be replayed by a redirect, to the page it was sent from.
func (h *Handler) requireFresh(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := h.sessions.Current(r)
		if ok && h.svc.Now().Sub(s.AuthTime) <= FreshSignIn {
			next.ServeHTTP(w, r)
			return
		}
		back := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			back = "/portal/account"
			if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
				back = firstNonEmpty(localNext(ref.RequestURI()), back)
			}
		}
		if ok {
			h.sessions.Put(r.Context(), keyFlash, "For your security, sign in again to continue.")
		}
		to := "/login?prompt=login&next=" + url.QueryEscape(localNext(back))
		if r.Header.Get("Content-Type") == "application/json" {
			// The passkey script follows a redirect it is told about.
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "login_required",
				"error_description": "For your security, sign in again to continue.", "redirect": to})
			return
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	})
}
