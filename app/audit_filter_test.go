package app_test

import (
	"context"
	"testing"
	"time"

	"optare/app"
	"optare/app/apptest"
)

// TestAuditPeriod: every door hands ListAudit the raw since/until, so a
// date covers the same range everywhere: since a date from its first
// instant, until a date through the end of that day, until a time up to
// just before it; anything else is refused with the field named.
func TestAuditPeriod(t *testing.T) {
	ctx := context.Background()
	env := apptest.New(t)
	env.Operator(t)
	day := env.Clock.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour) // the next midnight
	env.Clock.Advance(day.Sub(env.Clock.Now()) + 23*time.Hour)                // late on that day
	if _, err := env.Svc.CreateProduct(ctx, app.CLI(), app.ProductInput{Name: "Late", Slug: "late"}); err != nil {
		t.Fatal(err)
	}
	count := func(since, until string) int {
		t.Helper()
		p, err := env.Svc.ListAudit(ctx, app.CLI(), app.AuditQuery{Action: "product.created", Since: since, Until: until})
		if err != nil {
			t.Fatalf("since %q until %q: %v", since, until, err)
		}
		return len(p.Entries)
	}
	date := day.Format(time.DateOnly)
	for _, c := range []struct {
		since, until string
		want         int
	}{
		{date, date, 1},                   // the whole day
		{"", date, 1},                     // until the end of that day
		{"", day.Format(time.RFC3339), 0}, // until its first instant
		{"", day.Add(23 * time.Hour).Add(time.Second).Format(time.RFC3339), 1},
		{day.Add(24 * time.Hour).Format(time.DateOnly), "", 0}, // since the next day
	} {
		if n := count(c.since, c.until); n != c.want {
			t.Errorf("since %q until %q: %d entries, want %d", c.since, c.until, n, c.want)
		}
	}
	for _, field := range []string{"since", "until"} {
		q := app.AuditQuery{}
		if field == "since" {
			q.Since = "yesterday"
		} else {
			q.Until = "31/01/2026"
		}
		_, err := env.Svc.ListAudit(ctx, app.CLI(), q)
		if e := app.AsError(err); e.Kind != app.KindInvalid || e.Fields[field] == "" {
			t.Errorf("bad %s: %v", field, err)
		}
	}
}
