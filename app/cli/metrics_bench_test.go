package cli_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"optare/app/apptest"
	"optare/app/middleware"
)

// BenchmarkRequestMetrics measures what the request measurements add to
// one request: Measure (status and route capture, the Prometheus counter
// and histogram, the hourly usage count) around a mux, against the bare
// mux. The difference per operation is the per-request cost (target 2 µs).
func BenchmarkRequestMetrics(b *testing.B) {
	env := apptest.New(b)
	inner := http.NewServeMux()
	inner.HandleFunc("GET /products/{product}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", http.StripPrefix("/api/v1", middleware.Route(inner)))
	req := httptest.NewRequest(http.MethodGet, "/api/v1/products/pro", nil)
	run := func(b *testing.B, h http.Handler) {
		w := httptest.NewRecorder()
		b.ReportAllocs()
		for b.Loop() {
			h.ServeHTTP(w, req)
		}
	}
	b.Run("bare", func(b *testing.B) { run(b, mux) })
	b.Run("measured", func(b *testing.B) { run(b, middleware.Measure(env.Svc, mux)) })
	// The recording alone (counter, histogram, hourly usage count), which
	// the noise of a shared machine hides least.
	b.Run("record", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			env.Svc.RecordRequest("api", "GET /products/{product}", http.StatusNoContent, 1500*time.Microsecond)
		}
	})
	b.Run("record-parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				env.Svc.RecordRequest("api", "GET /products/{product}", http.StatusNoContent, 1500*time.Microsecond)
			}
		})
	})
}
