package oauth

import (
	"net/http"
	"strconv"
	"time"
)

// corsMaxAge is how long a browser may cache a preflight answer.
const corsMaxAge = 10 * time.Minute

// cors answers browsers calling the token, userinfo and revocation
// endpoints from a web app: when the Origin is one an enabled client lists,
// the answer names it in Access-Control-Allow-Origin, and a preflight
// (OPTIONS) is answered here with the methods and headers allowed. Other
// origins get no CORS headers, so the browser withholds the answer. No
// cookies are involved, so credentials are never allowed. A nil next
// serves only preflights.
func (h *Handler) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		allowed := false
		if origin != "" {
			w.Header().Add("Vary", "Origin")
			ok, err := h.svc.OriginAllowed(r.Context(), origin)
			if err != nil {
				h.logError(r, err)
			}
			allowed = ok
		}
		if allowed {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Expose-Headers", "WWW-Authenticate")
		}
		if r.Method == http.MethodOptions || next == nil {
			if allowed {
				preflight(w)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func preflight(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, DPoP")
	h.Set("Access-Control-Max-Age", strconv.Itoa(int(corsMaxAge.Seconds())))
}

// public serves public documents (discovery, JWKS) to any origin: they
// hold nothing secret and carry no credentials. A nil next serves only
// preflights.
func (h *Handler) public(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions || next == nil {
			preflight(w)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
