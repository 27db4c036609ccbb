//go:build !race

// The race detector allocates on its own; the count holds without it.

package middleware

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The request log costs three allocations: its own state, net/http's copy
// of the request in WithContext, and slog's overflow for the sixth and
// seventh attribute. More means a per-field allocation came back.
func TestLogAllocations(t *testing.T) {
	h := Log(slog.New(slog.NewTextHandler(io.Discard, nil)), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(okBody)
	}))
	r := httptest.NewRequest("GET", "/api/v1/licenses/check", nil)
	w := &discardWriter{h: http.Header{}}
	if n := testing.AllocsPerRun(200, func() { clear(w.h); h.ServeHTTP(w, r) }); n > 3 {
		t.Errorf("Log allocates %.0f times per request, want ≤ 3", n)
	}
}
