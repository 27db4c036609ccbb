package app_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"optare/app"
)

// setLicensing changes alpha's activation rules.
func (c *catalog) setLicensing(t *testing.T, floating bool, machines, leaseTTL int) {
	t.Helper()
	if _, err := c.env.Svc.UpdateProduct(c.ctx, c.cli, "alpha", app.ProductPatch{Floating: &floating, MachinesPerSeat: &machines, LeaseTTL: &leaseTTL}); err != nil {
		t.Fatal(err)
	}
}

// TestFloatingActivationsRace: 50 parallel activations of a floating
// product with 10 seats leave exactly 10 leases.
func TestFloatingActivationsRace(t *testing.T) {
	c := newCatalog(t)
	u := c.env.Customer(t, "acme", "one@acme.test", app.RoleMember)
	c.setLicensing(t, true, 0, 600)
	c.subscribe(t, 10, "active", "")
	var wg sync.WaitGroup
	codes := make(chan string, 50)
	for i := range 50 {
		wg.Go(func() {
			l, err := c.env.Svc.Activate(c.ctx, u.Actor(""), app.ActivationInput{Product: "alpha", Fingerprint: fmt.Sprintf("machine-%d", i)})
			if err != nil {
				t.Error(err)
				return
			}
			if l.Valid != (l.Activation != nil) {
				t.Errorf("valid %v with activation %v", l.Valid, l.Activation)
			}
			codes <- l.Code
		})
	}
	wg.Wait()
	close(codes)
	n := map[string]int{}
	for code := range codes {
		n[code]++
	}
	if n[app.CodeValid] != 10 || n[app.CodeNoSeat] != 40 {
		t.Fatalf("codes %v, want 10 VALID and 40 NO_SEAT", n)
	}
	page, err := c.env.Svc.ListActivations(c.ctx, c.cli, app.ActivationQuery{})
	if err != nil || len(page.Activations) != 10 {
		t.Fatalf("activations %d %v", len(page.Activations), err)
	}
}

// TestLeaseExpiryAndSweep: a lease ends after its TTL without heartbeat,
// frees its place at once, and the sweep removes it.
func TestLeaseExpiryAndSweep(t *testing.T) {
	c := newCatalog(t)
	u := c.env.Customer(t, "acme", "one@acme.test", app.RoleMember)
	c.setLicensing(t, true, 0, 60)
	c.subscribe(t, 1, "active", "")
	svc, me := c.env.Svc, u.Actor("")
	first, err := svc.Activate(c.ctx, me, app.ActivationInput{Product: "alpha", Fingerprint: "m1", Name: "Laptop"})
	if err != nil || !first.Valid || first.Activation.Name != "Laptop" {
		t.Fatalf("activate: %+v %v", first, err)
	}
	if l, _ := svc.Activate(c.ctx, me, app.ActivationInput{Product: "alpha", Fingerprint: "m2"}); l.Code != app.CodeNoSeat {
		t.Fatalf("second machine on one floating seat: %+v", l)
	}
	c.env.Clock.Advance(50 * time.Second)
	hb, err := svc.Heartbeat(c.ctx, me, app.HeartbeatInput{ActivationID: first.Activation.ID})
	if err != nil || !hb.Valid || !hb.Activation.LeaseExpiresAt.Equal(c.env.Clock.Now().Add(time.Minute)) {
		t.Fatalf("heartbeat: %+v %v", hb, err)
	}
	c.env.Clock.Advance(61 * time.Second)
	if hb, _ := svc.Heartbeat(c.ctx, me, app.HeartbeatInput{ActivationID: first.Activation.ID}); hb.Code != app.CodeLeaseExpired || hb.Activation != nil {
		t.Fatalf("heartbeat after expiry: %+v", hb)
	}
	// The expired lease no longer counts, even before the sweep.
	second, err := svc.Activate(c.ctx, me, app.ActivationInput{Product: "alpha", Fingerprint: "m2"})
	if err != nil || !second.Valid {
		t.Fatalf("activate after expiry: %+v %v", second, err)
	}
	if err := svc.Sweep(c.ctx); err != nil {
		t.Fatal(err)
	}
	page, _ := svc.ListActivations(c.ctx, c.cli, app.ActivationQuery{})
	if len(page.Activations) != 1 || page.Activations[0].ID != second.Activation.ID {
		t.Fatalf("after sweep: %+v", page.Activations)
	}
	audit, _ := svc.ListAudit(c.ctx, c.cli, app.AuditQuery{Action: "license.lease_expired"})
	if len(audit.Entries) != 1 || audit.Entries[0].TargetID != first.Activation.ID {
		t.Fatalf("lease_expired audit: %+v", audit.Entries)
	}
	// Deactivate frees at once and is audited; a second time is not found.
	if err := svc.Deactivate(c.ctx, me, second.Activation.ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.Deactivate(c.ctx, me, second.Activation.ID); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("second deactivate: %v", err)
	}
}

// TestNodeLockedMachines: machines per seat limit each user's live
// machines; the same machine again renews its lease; another member cannot
// touch the activation.
func TestNodeLockedMachines(t *testing.T) {
	c := newCatalog(t)
	u := c.env.Customer(t, "acme", "one@acme.test", app.RoleMember)
	other := c.env.Customer(t, "acme", "two@acme.test", app.RoleMember)
	c.setLicensing(t, false, 2, 600)
	c.subscribe(t, 5, "active", "")
	svc, me := c.env.Svc, u.Actor("")
	var ids []string
	for _, fp := range []string{"a", "b", "a"} {
		l, err := svc.Activate(c.ctx, me, app.ActivationInput{Product: "alpha", Fingerprint: fp})
		if err != nil || !l.Valid {
			t.Fatalf("activate %s: %+v %v", fp, l, err)
		}
		ids = append(ids, l.Activation.ID)
	}
	if ids[0] != ids[2] {
		t.Fatal("activating the same machine again made a second activation")
	}
	if l, _ := svc.Activate(c.ctx, me, app.ActivationInput{Product: "alpha", Fingerprint: "c"}); l.Code != app.CodeTooManyMachines || len(l.Features) != 0 {
		t.Fatalf("third machine: %+v", l)
	}
	if hb, _ := svc.Heartbeat(c.ctx, other.Actor(""), app.HeartbeatInput{ActivationID: ids[0]}); hb.Valid {
		t.Fatal("another member renewed my lease")
	}
	if err := svc.Deactivate(c.ctx, other.Actor(""), ids[0]); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("another member deactivated my machine: %v", err)
	}
	mine, _ := svc.ListActivations(c.ctx, other.Actor(""), app.ActivationQuery{})
	if len(mine.Activations) != 0 {
		t.Fatalf("another member sees %d activations", len(mine.Activations))
	}
	if _, err := svc.Activate(c.ctx, me, app.ActivationInput{Product: "alpha"}); app.ErrorKind(err) != app.KindInvalid {
		t.Fatalf("no fingerprint: %v", err)
	}
	bad := 30
	if _, err := svc.UpdateProduct(c.ctx, c.cli, "alpha", app.ProductPatch{LeaseTTL: &bad}); app.ErrorKind(err) != app.KindInvalid {
		t.Fatalf("lease TTL below 60 s: %v", err)
	}
}
