package middleware

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLogGivesTheRequestItsIDAndKeepsTheContext(t *testing.T) {
	var logs bytes.Buffer
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey(99), "outer"))
	var seenID string
	var outer any
	var done <-chan struct{}
	h := Log(slog.New(slog.NewTextHandler(&logs, nil)), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seenID = RequestID(r.Context())
		outer = r.Context().Value(ctxKey(99))
		done = r.Context().Done()
		w.WriteHeader(http.StatusTeapot)
		w.Write([]byte("tea"))
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil).WithContext(ctx))
	id := rec.Header().Get("X-Request-Id")
	if len(id) != 16 || id != seenID {
		t.Fatalf("header id %q, RequestID in the handler %q", id, seenID)
	}
	if outer != "outer" {
		t.Errorf("the server's context values are lost: %v", outer)
	}
	cancel()
	select {
	case <-done:
	default:
		t.Error("cancelling the server's context does not reach the handler")
	}
	for _, want := range []string{"id=" + id, "method=GET", "path=/x", "status=418", "bytes=3", "ip=192.0.2.1"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log line lacks %s:\n%s", want, logs.String())
		}
	}
	if RequestID(context.Background()) != "" {
		t.Error("RequestID outside Log is not empty")
	}
}
