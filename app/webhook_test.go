package app_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"optare/app"
	"optare/app/apptest"
)

// receiver is a real HTTP server that records webhook messages and
// answers with the next status of its script (200 when the script ends).
type receiver struct {
	mu     sync.Mutex
	ts     *httptest.Server
	script []int
	got    []message
}

type message struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, script ...int) *receiver {
	r := &receiver{script: script}
	r.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.got = append(r.got, message{req.Header.Clone(), b})
		status := 200
		if len(r.script) > 0 {
			status, r.script = r.script[0], r.script[1:]
		}
		w.WriteHeader(status)
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(r.ts.Close)
	return r
}

func (r *receiver) messages() []message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]message(nil), r.got...)
}

// verify checks a message with the Standard Webhooks reference library,
// not with Optare's code; the clock is the test's, so the timestamp
// tolerance (against the wall clock) is not applied.
func verify(t *testing.T, secret string, m message) map[string]any {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.VerifyIgnoringTimestamp(m.body, m.header); err != nil {
		t.Fatalf("signature: %v\n%v", err, m.header)
	}
	var out map[string]any
	if err := json.Unmarshal(m.body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWebhooksSignedRetriedReplayed(t *testing.T) {
	c := newCatalog(t)
	c.env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)
	svc, err := app.New(c.env.DB, app.Options{Now: c.env.Clock.Now, Password: apptest.FastPassword, WebhooksAllowPrivate: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rc := newReceiver(t, 500, 503)
	in := app.WebhookInput{OrganizationID: "acme", URL: rc.ts.URL + "/hooks", Events: []string{"subscription.created", "seat.assigned"}, Description: "CRM"}
	if _, err := c.env.Svc.CreateWebhookEndpoint(c.ctx, c.cli, in); app.ErrorKind(err) != app.KindInvalid || app.AsError(err).Fields["url"] == "" {
		t.Fatalf("loopback target without --webhooks-allow-private: %v", err)
	}
	ep, err := svc.CreateWebhookEndpoint(c.ctx, c.cli, in)
	if err != nil || len(ep.Secret) < 40 || ep.Secret[:6] != "whsec_" {
		t.Fatalf("create: %+v %v", ep, err)
	}
	sub := c.subscribe(t, 3, "active", "")
	deliver := func(want int) {
		t.Helper()
		if n, err := svc.DeliverWebhooks(c.ctx); err != nil || n != want {
			t.Fatalf("deliver: %d %v, want %d", n, err, want)
		}
	}
	deliver(1)
	msgs := rc.messages()
	body := verify(t, ep.Secret, msgs[0])
	data, _ := body["data"].(map[string]any)
	if body["type"] != "subscription.created" || data["id"] != sub.ID || data["total_seats"] != 3.0 ||
		msgs[0].header.Get("webhook-timestamp") != jsonNumber(c.env.Clock.Now().Unix()) {
		t.Fatalf("payload %v", body)
	}
	deliver(0) // the retry is not due yet
	c.env.Clock.Advance(5 * time.Second)
	deliver(1)
	c.env.Clock.Advance(5 * time.Minute)
	deliver(1)
	msgs = rc.messages()
	if len(msgs) != 3 || msgs[2].header.Get("webhook-id") != msgs[0].header.Get("webhook-id") {
		t.Fatalf("retries: %d messages", len(msgs))
	}
	page, err := svc.ListWebhookDeliveries(c.ctx, c.cli, ep.ID, "", 0)
	if err != nil || len(page.Deliveries) != 1 {
		t.Fatalf("deliveries %+v %v", page, err)
	}
	d := page.Deliveries[0]
	if d.Status != "succeeded" || d.Attempts != 3 || d.Log[0].ResponseCode != 500 || d.Log[1].ResponseCode != 503 ||
		d.Log[2].ResponseCode != 200 || d.Log[2].ResponseBody != `{"ok":true}` {
		t.Fatalf("delivery log %+v", d)
	}

	// Replay sends the same message again; the test event reaches this
	// endpoint only.
	if _, err := svc.ReplayWebhookDelivery(c.ctx, c.cli, ep.ID, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SendTestWebhook(c.ctx, c.cli, ep.ID); err != nil {
		t.Fatal(err)
	}
	deliver(2)
	types := map[string]string{}
	for _, m := range rc.messages()[3:] {
		types[verify(t, ep.Secret, m)["type"].(string)] = m.header.Get("webhook-id")
	}
	if types["subscription.created"] != msgs[0].header.Get("webhook-id") || types["webhook.test"] == "" {
		t.Fatalf("replay or test event: %v", types)
	}

	// After a rotation both secrets sign, so either verifies.
	rot, err := svc.RotateWebhookSecret(c.ctx, c.cli, ep.ID)
	if err != nil || rot.Secret == ep.Secret {
		t.Fatalf("rotate: %v", err)
	}
	member := c.env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	if _, err := svc.AssignSeat(c.ctx, c.cli, sub.ID, member.User.ID); err != nil {
		t.Fatal(err)
	}
	deliver(1)
	last := rc.messages()[5]
	verify(t, ep.Secret, last)
	if body := verify(t, rot.Secret, last); body["type"] != "seat.assigned" {
		t.Fatalf("seat event %v", body)
	}

	// 410 Gone disables the endpoint, audited; nothing more is queued.
	rc.mu.Lock()
	rc.script = []int{410}
	rc.mu.Unlock()
	if _, err := svc.SendTestWebhook(c.ctx, c.cli, ep.ID); err != nil {
		t.Fatal(err)
	}
	deliver(1)
	got, _ := svc.WebhookEndpointByID(c.ctx, c.cli, ep.ID)
	if got.Enabled || got.DisabledReason == "" {
		t.Fatalf("after 410: %+v", got)
	}
	audit, _ := svc.ListAudit(c.ctx, c.cli, app.AuditQuery{Action: "webhook.disabled"})
	if len(audit.Entries) != 1 {
		t.Fatalf("webhook.disabled audit: %d", len(audit.Entries))
	}
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestWebhookGivesUpAndDisables: every retry fails; the delivery fails
// after the schedule, and five days of failures disable the endpoint.
func TestWebhookGivesUpAndDisables(t *testing.T) {
	c := newCatalog(t)
	c.env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)
	svc, err := app.New(c.env.DB, app.Options{Now: c.env.Clock.Now, Password: apptest.FastPassword, WebhooksAllowPrivate: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	script := make([]int, 20)
	for i := range script {
		script[i] = 500
	}
	rc := newReceiver(t, script...)
	ep, err := svc.CreateWebhookEndpoint(c.ctx, c.cli, app.WebhookInput{OrganizationID: "acme", URL: rc.ts.URL, Events: []string{"subscription.created"}})
	if err != nil {
		t.Fatal(err)
	}
	c.subscribe(t, 1, "active", "")
	for i, wait := range append([]time.Duration{0}, app.WebhookRetries...) {
		c.env.Clock.Advance(wait)
		if n, err := svc.DeliverWebhooks(c.ctx); n != 1 || err != nil {
			t.Fatalf("attempt %d: %d %v", i+1, n, err)
		}
	}
	page, _ := svc.ListWebhookDeliveries(c.ctx, c.cli, ep.ID, "", 0)
	if d := page.Deliveries[0]; d.Status != "failed" || d.Attempts != 10 || d.NextAttemptAt != nil {
		t.Fatalf("after the schedule: %+v", d)
	}
	if got, _ := svc.WebhookEndpointByID(c.ctx, c.cli, ep.ID); !got.Enabled || got.FailingSince == nil {
		t.Fatalf("endpoint after ~3.2 days of failures: %+v", got)
	}
	// Still failing two days later: five days without a success.
	c.env.Clock.Advance(2 * 24 * time.Hour)
	if _, err := svc.SendTestWebhook(c.ctx, c.cli, ep.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.DeliverWebhooks(c.ctx); n != 1 || err != nil {
		t.Fatalf("last attempt: %d %v", n, err)
	}
	if got, _ := svc.WebhookEndpointByID(c.ctx, c.cli, ep.ID); got.Enabled || got.DisabledReason != "Every delivery failed for 5 days." {
		t.Fatalf("endpoint after 5 days of failures: %+v", got)
	}
}
