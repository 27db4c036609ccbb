package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"optare/app"
	"optare/app/apptest"
)

// catalog is a test database with acme, one product and helpers.
type catalog struct {
	env *apptest.Env
	ctx context.Context
	cli app.Actor
}

func newCatalog(t *testing.T) *catalog {
	env := apptest.New(t)
	env.Operator(t)
	c := &catalog{env: env, ctx: context.Background(), cli: app.CLI()}
	if _, err := env.Svc.CreateProduct(c.ctx, c.cli, app.ProductInput{Name: "Alpha", Slug: "alpha", Features: []string{"F1"}}); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *catalog) subscribe(t *testing.T, seats int, status, end string) app.Subscription {
	t.Helper()
	s, err := c.env.Svc.CreateSubscription(c.ctx, c.cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "alpha",
		TotalSeats: seats, PricePerSeat: "29.99", BillingCycle: "monthly", Status: status, EndDate: end})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStatusTransitions(t *testing.T) {
	tests := []struct {
		from, to string
		ok       bool
	}{
		{"trial", "active", true}, {"trial", "cancelled", true}, {"trial", "expired", true},
		{"active", "cancelled", true}, {"active", "expired", true}, {"active", "trial", false},
		{"cancelled", "active", true}, {"cancelled", "trial", false}, {"cancelled", "expired", false},
		{"expired", "active", true}, {"expired", "trial", false}, {"expired", "cancelled", false},
		{"active", "active", true},
	}
	for _, tt := range tests {
		t.Run(tt.from+"→"+tt.to, func(t *testing.T) {
			c := newCatalog(t)
			c.env.Customer(t, "acme", "a@acme.test", app.RoleAdmin)
			s := c.subscribe(t, 2, tt.from, "")
			to := tt.to
			_, err := c.env.Svc.UpdateSubscription(c.ctx, c.cli, s.ID, app.SubscriptionPatch{Status: &to})
			if tt.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tt.ok {
				e := app.AsError(err)
				if e.Kind != app.KindConflict || e.Code != "invalid_transition" || e.Fields["status"] == "" {
					t.Fatalf("= %v, want invalid_transition", err)
				}
			}
		})
	}
}

func TestReactivationNeedsNoOtherLive(t *testing.T) {
	c := newCatalog(t)
	c.env.Customer(t, "acme", "a@acme.test", app.RoleAdmin)
	old := c.subscribe(t, 2, "cancelled", "")
	c.subscribe(t, 2, "active", "")
	active := app.StatusActive
	_, err := c.env.Svc.UpdateSubscription(c.ctx, c.cli, old.ID, app.SubscriptionPatch{Status: &active})
	if e := app.AsError(err); e.Kind != app.KindConflict || e.Code != "subscription_exists" {
		t.Fatalf("reactivation beside a live one = %v", err)
	}
}

// TestExpiry: past its end date a subscription reads as expired at once,
// in reads, the license check and "products this user can use now"; the
// sweep records it once.
func TestExpiry(t *testing.T) {
	c := newCatalog(t)
	user := c.env.Customer(t, "acme", "a@acme.test", app.RoleMember)
	s := c.subscribe(t, 2, "active", "2026-02-01")
	if ps, _ := c.env.Svc.UserProducts(c.ctx, user.User.ID); len(ps) != 1 {
		t.Fatalf("before expiry: %v", ps)
	}
	c.env.Clock.Advance(30 * 24 * time.Hour)
	got, err := c.env.Svc.SubscriptionByID(c.ctx, c.cli, s.ID)
	if err != nil || got.Status != app.StatusExpired {
		t.Fatalf("after end date: %v %v", got.Status, err)
	}
	if ps, _ := c.env.Svc.UserProducts(c.ctx, user.User.ID); len(ps) != 0 {
		t.Errorf("expired subscription still grants %v", ps)
	}
	actor := user.Actor("")
	if lic, _ := c.env.Svc.CheckLicense(c.ctx, actor, app.LicenseQuery{Product: "alpha"}); lic.Code != app.CodeExpired {
		t.Errorf("license = %s", lic.Code)
	}
	page, _ := c.env.Svc.ListSubscriptions(c.ctx, c.cli, app.SubscriptionQuery{Status: "expired"})
	if len(page.Subscriptions) != 1 {
		t.Errorf("status filter: %v", page.Subscriptions)
	}
	for range 2 {
		if err := c.env.Svc.Sweep(c.ctx); err != nil {
			t.Fatal(err)
		}
	}
	audit, _ := c.env.Svc.ListAudit(c.ctx, c.cli, app.AuditQuery{Action: "subscription.expired"})
	if len(audit.Entries) != 1 || audit.Entries[0].ActorType != "system" || audit.Entries[0].TargetID != s.ID {
		t.Fatalf("expiry entries: %+v", audit.Entries)
	}
	// A new subscription can follow at once.
	c.subscribe(t, 2, "active", "")
}

// TestConcurrentSeatAssignment: 50 parallel assignments on 10 seats leave
// exactly 10 taken.
func TestConcurrentSeatAssignment(t *testing.T) {
	c := newCatalog(t)
	var users []string
	for i := range 50 {
		users = append(users, c.env.Customer(t, "acme", fmt.Sprintf("u%d@acme.test", i), app.RoleMember).User.ID)
	}
	s := c.subscribe(t, 10, "active", "")
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, full := 0, 0
	for _, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.env.Svc.AssignSeat(c.ctx, c.cli, s.ID, u)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case app.AsError(err).Code == "no_free_seat":
				full++
			default:
				t.Errorf("assign: %v", err)
			}
		}()
	}
	wg.Wait()
	got, _ := c.env.Svc.SubscriptionByID(c.ctx, c.cli, s.ID)
	if ok != 10 || full != 40 || got.SeatsUsed != 10 {
		t.Fatalf("ok %d, full %d, seats used %d", ok, full, got.SeatsUsed)
	}
	total := 5
	_, err := c.env.Svc.UpdateSubscription(c.ctx, c.cli, s.ID, app.SubscriptionPatch{TotalSeats: &total})
	if e := app.AsError(err); e.Code != "seats_in_use" || e.Message[:2] != "10" {
		t.Fatalf("lowering seats = %v", err)
	}
}
