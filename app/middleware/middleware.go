package middleware

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
)

// ClientIP is the request's source address without the port. Behind a
// reverse proxy listed with TrustProxies it is the address that proxy
// reports; otherwise X-Forwarded-For is not trusted, since anyone can send
// it and it would let an attacker dodge throttling.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Recover turns a panic in a handler into a logged 500 instead of a dropped
// connection. http.ErrAbortHandler is re-raised, as net/http expects.
func Recover(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			log.ErrorContext(r.Context(), "panic", "id", RequestID(r.Context()), "panic", v, "stack", string(debug.Stack()))
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte("Internal server error. The request id is " + RequestID(r.Context()) + ".\n"))
		}()
		next.ServeHTTP(w, r)
	})
}

// MaxBodyBytes is the largest request body any endpoint accepts.
const MaxBodyBytes = 1 << 20

// LimitBody refuses bodies over MaxBodyBytes: at once when Content-Length
// says so, otherwise when the handler reads past the limit.
func LimitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxBodyBytes {
			// The REST API and the OAuth endpoints answer in JSON, the
			// API in its one error shape.
			if p := r.URL.Path; strings.HasPrefix(p, "/v1/") || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/oauth/") {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				fmt.Fprintf(w, `{"error":"invalid_request","error_description":"The request body is larger than %d bytes."}`+"\n", MaxBodyBytes)
				return
			}
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

const securityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self' http: https:; frame-ancestors 'none'"

// SecurityHeaders sets the headers every answer carries. The CSP allows only
// our own origin: no inline script or style anywhere in the templates.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// One array per request for the five values (keys in canonical
		// form): what Header.Set writes, with one allocation instead of five.
		v := &[5]string{securityPolicy, "nosniff", "DENY", "no-referrer", "same-origin"}
		h := w.Header()
		h["Content-Security-Policy"] = v[0:1:1]
		h["X-Content-Type-Options"] = v[1:2:2]
		h["X-Frame-Options"] = v[2:3:3]
		h["Referrer-Policy"] = v[3:4:4]
		h["Cross-Origin-Opener-Policy"] = v[4:5:5]
		next.ServeHTTP(w, r)
	})
}
