package middleware

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

type recorded struct {
	door, route string
	status      int
}

type recorder struct{ got []recorded }

func (r *recorder) RecordRequest(door, route string, status int, d time.Duration) {
	r.got = append(r.got, recorded{door, route, status})
}

// TestMeasureRoutes: the route is the inner router's pattern behind
// StripPrefix and a request-copying middleware, the outer pattern
// otherwise, "unmatched" for unknown paths; a panic counts as a 500.
func TestMeasureRoutes(t *testing.T) {
	inner := http.NewServeMux()
	inner.HandleFunc("GET /products/{product}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	portal := http.NewServeMux()
	portal.HandleFunc("GET /admin/users/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	copying := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r.WithContext(r.Context())) })
	}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", http.StripPrefix("/api/v1", Route(inner)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	mux.Handle("/", copying(Route(portal)))
	rec := &recorder{}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := Recover(log, Measure(rec, mux))
	for _, path := range []string{"/api/v1/products/pro", "/api/v1/nope", "/admin/users/u1", "/nowhere", "/healthz", "/boom"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	want := []recorded{
		{"api", "GET /products/{product}", 204},
		{"api", "unmatched", 404},
		{"admin", "GET /admin/users/{id}", 200},
		{"portal", "unmatched", 404},
		{"ops", "GET /healthz", 200},
		{"portal", "GET /boom", 500},
	}
	if len(rec.got) != len(want) {
		t.Fatalf("got %v", rec.got)
	}
	for i := range want {
		if rec.got[i] != want[i] {
			t.Errorf("request %d: got %+v, want %+v", i, rec.got[i], want[i])
		}
	}
}
