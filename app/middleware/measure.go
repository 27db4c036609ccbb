package middleware

import (
	"net/http"
	"strings"
	"time"
)

// Recorder receives one call per answered request: the door (portal,
// admin, api, oauth, static, ops), the route template, the status and the
// time taken. *app.Service is one.
type Recorder interface {
	RecordRequest(door, route string, status int, d time.Duration)
}

// Measure reports every request to rec once answered. It must wrap the
// outer ServeMux directly (same *http.Request), whose matched pattern is
// the route unless an inner router wrapped in Route reports its own. A
// panic counts as a 500 and goes on to Recover.
func Measure(rec Recorder, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		mw := &recordingWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v != nil {
				mw.status = http.StatusInternalServerError
			}
			route := mw.route
			if route == "" {
				route = routeName(r.Pattern)
			}
			if mw.status == 0 {
				mw.status = http.StatusOK
			}
			rec.RecordRequest(Door(r.URL.Path), route, mw.status, time.Since(start))
			if v != nil {
				panic(v)
			}
		}()
		next.ServeHTTP(mw, r)
	})
}

// Route wraps an inner router (one behind StripPrefix or a middleware that
// copies the request) so that Measure learns the pattern it matched rather
// than the outer mount point.
func Route(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		for w != nil {
			if mw, ok := w.(*recordingWriter); ok { // the innermost one: Measure's
				mw.route = routeName(r.Pattern)
				return
			}
			u, ok := w.(interface{ Unwrap() http.ResponseWriter })
			if !ok {
				return
			}
			w = u.Unwrap()
		}
	})
}

// routeName is the pattern, or "unmatched" for requests no route took, so
// that unknown paths never become labels.
func routeName(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	return pattern
}

// Door names the part of Optare a path belongs to.
func Door(path string) string {
	switch {
	case strings.HasPrefix(path, "/api/"), strings.HasPrefix(path, "/v1/"):
		return "api"
	case strings.HasPrefix(path, "/oauth/"), strings.HasPrefix(path, "/.well-known/"):
		return "oauth"
	case path == "/admin" || strings.HasPrefix(path, "/admin/"):
		return "admin"
	case strings.HasPrefix(path, "/static/"), path == "/favicon.ico":
		return "static"
	case path == "/healthz", path == "/readyz":
		return "ops"
	}
	return "portal"
}
