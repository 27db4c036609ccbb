package webhook_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"optare/app/webhook"
)

func TestSSRFGuard(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://example.com/", http.StatusFound)
	}))
	defer ts.Close()
	guarded, open := webhook.NewSender(false), webhook.NewSender(true)
	for _, u := range []string{ts.URL, "http://localhost/x", "http://10.0.0.1/", "http://169.254.169.254/latest", "http://[::1]/", "ftp://example.com/", "https://u:p@example.com/"} {
		if guarded.CheckURL(u) == nil {
			t.Errorf("CheckURL(%s) accepted", u)
		}
	}
	if err := guarded.CheckURL("https://hooks.example.com/in"); err != nil {
		t.Errorf("public URL refused: %v", err)
	}
	// A name that resolves to loopback is refused when dialled (also when
	// DNS changes after the URL was checked).
	byName := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
	res := guarded.Send(context.Background(), byName, "msg_1", time.Now(), []byte(`{}`), webhook.NewSecret())
	if !errors.Is(res.Err, webhook.ErrPrivateTarget) {
		t.Fatalf("dial to loopback by name: %+v", res)
	}
	// Allowed, the redirect is reported, not followed.
	if res := open.Send(context.Background(), ts.URL, "msg_1", time.Now(), []byte(`{}`), webhook.NewSecret()); res.Status != http.StatusFound || res.Err != nil {
		t.Fatalf("redirect: %+v", res)
	}
	for _, a := range []string{"10.1.2.3", "192.168.0.1", "172.16.0.1", "127.0.0.1", "169.254.1.1", "100.64.0.1", "::1", "fe80::1", "fd00::1", "0.0.0.0", "::ffff:127.0.0.1"} {
		if webhook.Public(netip.MustParseAddr(a)) {
			t.Errorf("%s counted as public", a)
		}
	}
	if !webhook.Public(netip.MustParseAddr("93.184.216.34")) {
		t.Error("a public address refused")
	}
}
