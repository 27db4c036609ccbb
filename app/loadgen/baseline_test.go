package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"optare/app/apptest"
	"optare/app/oidc"
)

// The baseline answers a signed ES256 token and has written one row per
// request.
func TestBaselineSignsAndWrites(t *testing.T) {
	bl, err := openBaseline(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	for range 3 {
		w := httptest.NewRecorder()
		bl.ServeHTTP(w, httptest.NewRequest("POST", "/token", body("grant_type=refresh_token")))
		var res struct {
			AccessToken string `json:"access_token"`
		}
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &res) != nil {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		var c baselineClaims
		if err := bl.keys.VerifyType(res.AccessToken, oidc.TypeAccessToken, &c); err != nil || c.JTI == "" {
			t.Fatalf("token %q: %v %+v", res.AccessToken, err, c)
		}
	}
	var n int
	if err := bl.db.QueryRow("SELECT COUNT(DISTINCT id) FROM writes").Scan(&n); err != nil || n != 3 {
		t.Fatalf("%d rows written (%v), want 3", n, err)
	}
}

// BenchmarkBaselineSignWrite is the refresh grant's yardstick in process:
// ES256 sign + one SQLite write and nothing of Optare's stack. Set its
// cpu-ns/op beside app/oauth's BenchmarkTokenRefreshES256.
func BenchmarkBaselineSignWrite(b *testing.B) {
	bl, err := openBaseline(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer bl.Close()
	b.ReportAllocs()
	defer apptest.CPUPerOp(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			bl.ServeHTTP(w, httptest.NewRequest("POST", "/token", body("grant_type=refresh_token&refresh_token=rt_x")))
			if w.Code != 200 {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
}
