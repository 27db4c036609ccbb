package middleware

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkLog is the request log's cost per request: the text handler
// the server uses, writing to io.Discard, around a handler that answers a
// few bytes. Run with -benchmem: allocs/op is what the log line costs.
func BenchmarkLog(b *testing.B) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := Log(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Write(okBody)
	}))
	r := httptest.NewRequest("GET", "/api/v1/licenses/check", nil)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

var okBody = []byte("ok\n")

// discardWriter is a ResponseWriter that keeps nothing, so the benchmark
// counts the middleware's allocations and not a recorder's.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}
