package app_test

import (
	"testing"
	"time"

	"optare/app"
)

// TestUsageCountsLicenseChecksExactly: a known load of licence checks is
// counted exactly per (organization, product) and code, before and after
// the flush, by hour and by day; the sweep drops it after the retention.
func TestUsageCountsLicenseChecksExactly(t *testing.T) {
	c := newCatalog(t)
	u := c.env.Customer(t, "acme", "one@acme.test", app.RoleMember)
	c.subscribe(t, 1, "active", "")
	for range 7 {
		if _, err := c.env.Svc.CheckLicense(c.ctx, u.Actor("10.0.0.1"), app.LicenseQuery{Product: "alpha"}); err != nil {
			t.Fatal(err)
		}
	}
	c.env.Clock.Advance(time.Hour)
	other := c.env.Customer(t, "acme", "two@acme.test", app.RoleMember)
	for range 2 {
		if _, err := c.env.Svc.CheckLicense(c.ctx, other.Actor("10.0.0.1"), app.LicenseQuery{Product: "alpha"}); err != nil {
			t.Fatal(err)
		}
	}
	want := func(stage string) {
		t.Helper()
		r, err := c.env.Svc.Usage(c.ctx, u.Actor(""), app.UsageQuery{Metric: app.UsageLicenseChecks})
		if err != nil {
			t.Fatal(err)
		}
		if r.Totals[app.CodeValid] != 7 || r.Totals[app.CodeNoSeat] != 2 || r.Total != 9 || r.Interval != "hour" || len(r.Points) != 24 {
			t.Fatalf("%s: totals %v, %d points by %s", stage, r.Totals, len(r.Points), r.Interval)
		}
		last := r.Points[len(r.Points)-1].Counts
		if last[app.CodeNoSeat] != 2 || r.Points[len(r.Points)-2].Counts[app.CodeValid] != 7 {
			t.Fatalf("%s: last hours %v %v", stage, r.Points[len(r.Points)-2].Counts, last)
		}
		d, err := c.env.Svc.Usage(c.ctx, app.CLI(), app.UsageQuery{Metric: app.UsageLicenseChecks, Period: "7d"})
		if err != nil || d.Total != 9 || len(d.Points) != 7 || d.Top[0].Count != 9 {
			t.Fatalf("%s: by day %+v %v", stage, d, err)
		}
	}
	want("in memory")
	if err := c.env.Svc.FlushAPIKeyUsage(c.ctx); err != nil {
		t.Fatal(err)
	}
	want("flushed")
	c.env.Clock.Advance(app.DefaultUsageRetention + 2*time.Hour)
	if err := c.env.Svc.Sweep(c.ctx); err != nil {
		t.Fatal(err)
	}
	r, err := c.env.Svc.Usage(c.ctx, app.CLI(), app.UsageQuery{Metric: app.UsageLicenseChecks, Period: "90d"})
	if err != nil || r.Total != 0 {
		t.Fatalf("after retention: %d %v", r.Total, err)
	}
}

func TestUsageScopes(t *testing.T) {
	c := newCatalog(t)
	member := c.env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	admin := c.env.Customer(t, "acme", "a@acme.test", app.RoleAdmin)
	c.env.Customer(t, "other", "o@other.test", app.RoleOwner)
	other, err := c.env.Svc.OrganizationByRef(c.ctx, c.cli, "other")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		a        app.Actor
		q        app.UsageQuery
		wantKind app.Kind
		field    string
	}{
		{"operator, instance requests", app.CLI(), app.UsageQuery{Metric: app.UsageRequests}, -1, ""},
		{"admin, own keys", admin.Actor(""), app.UsageQuery{Metric: app.UsageKeyRequests, Period: "30d"}, -1, ""},
		{"member, own licence checks", member.Actor(""), app.UsageQuery{Metric: app.UsageLicenseChecks}, -1, ""},
		{"member, keys", member.Actor(""), app.UsageQuery{Metric: app.UsageKeyRequests}, app.KindForbidden, ""},
		{"admin, instance requests", admin.Actor(""), app.UsageQuery{Metric: app.UsageOAuthFailures}, app.KindForbidden, ""},
		{"admin, other organization", admin.Actor(""), app.UsageQuery{Metric: app.UsageLicenseChecks, OrganizationID: other.ID}, app.KindForbidden, ""},
		{"unknown metric", app.CLI(), app.UsageQuery{Metric: "users"}, app.KindInvalid, "metric"},
		{"unknown period", app.CLI(), app.UsageQuery{Metric: app.UsageRequests, Period: "1y"}, app.KindInvalid, "period"},
		{"key and product", app.CLI(), app.UsageQuery{Metric: app.UsageLicenseChecks, APIKeyID: "k", ProductID: "p"}, app.KindInvalid, "product_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.env.Svc.Usage(c.ctx, tc.a, tc.q)
			if tc.wantKind == -1 {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			e := app.AsError(err)
			if err == nil || e.Kind != tc.wantKind || (tc.field != "" && e.Fields[tc.field] == "") {
				t.Fatalf("err = %v (kind %v, fields %v), want kind %v on %q", err, e.Kind, e.Fields, tc.wantKind, tc.field)
			}
		})
	}
}
