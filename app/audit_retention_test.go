package app_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"testing"
	"time"

	"optare/app"
	"optare/app/apptest"
)

// TestAuditRetention: with a retention the sweep deletes older entries and
// records that it did; without one nothing goes; other deletes still fail.
func TestAuditRetention(t *testing.T) {
	ctx := context.Background()
	env := apptest.New(t)
	env.Operator(t) // writes setup entries at the start
	count := func(svc *app.Service) int {
		p, err := svc.ListAudit(ctx, app.CLI(), app.AuditQuery{Limit: app.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Entries)
	}
	before := count(env.Svc)
	env.Clock.Advance(401 * 24 * time.Hour)
	if err := env.Svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(env.Svc); n != before {
		t.Fatalf("without retention the sweep changed the log: %d -> %d", before, n)
	}
	svc, err := app.New(env.DB, app.Options{Now: env.Clock.Now, Password: apptest.FastPassword, AuditRetention: 400 * 24 * time.Hour,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateOrganization(ctx, app.CLI(), app.OrganizationInput{Name: "Fresh", Slug: "fresh"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := svc.ListAudit(ctx, app.CLI(), app.AuditQuery{Limit: app.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Entries) != 2 || p.Entries[0].Action != "audit.pruned" || p.Entries[1].Action != "organization.created" {
		t.Fatalf("after pruning: %+v", p.Entries)
	}
	if d := p.Entries[0].Details["deleted"]; d != float64(before) {
		t.Fatalf("pruned entry says %v deleted, want %d", d, before)
	}
	// The append-only trigger still refuses every other delete or update.
	raw, err := sql.Open("sqlite", env.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{"DELETE FROM audit_log", "UPDATE audit_log SET action = 'x'", "UPDATE audit_log SET occurrences = occurrences + 1"} {
		if _, err := raw.ExecContext(ctx, q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
}
