package app_test

import (
	"context"
	"slices"
	"testing"

	"optare/app"
	"optare/app/apptest"
)

// TestOrganizationOverview: an operator admin sees one organization's
// members, subscriptions with seats, API keys and latest audit entries, and
// nothing of another organization; a customer's owner is refused.
func TestOrganizationOverview(t *testing.T) {
	env := apptest.New(t)
	ctx, cli := context.Background(), app.CLI()
	op := env.Operator(t)
	owner := env.Customer(t, "acme", "olga@acme.test", app.RoleOwner)
	env.Customer(t, "acme", "ben@acme.test", app.RoleMember)
	env.Customer(t, "globex", "gina@globex.test", app.RoleOwner)
	for _, slug := range []string{"social", "inbox"} {
		if _, err := env.Svc.CreateProduct(ctx, cli, app.ProductInput{Name: "Otomate " + slug, Slug: slug}); err != nil {
			t.Fatal(err)
		}
	}
	sub, err := env.Svc.CreateSubscription(ctx, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "social", TotalSeats: 5, PricePerSeat: "10", BillingCycle: "monthly", Status: "active"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.AssignSeat(ctx, cli, sub.ID, owner.User.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.CreateSubscription(ctx, cli, app.SubscriptionInput{OrganizationID: "globex", ProductID: "inbox", TotalSeats: 2, PricePerSeat: "1", BillingCycle: "monthly", Status: "active"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.CreateAPIKey(ctx, cli, app.APIKeyInput{OrganizationID: "acme", Name: "Billing sync"}); err != nil {
		t.Fatal(err)
	}

	o, err := env.Svc.OrganizationOverview(ctx, op.Actor(""), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if o.Organization.Slug != "acme" || len(o.Members) != 2 || len(o.Subscriptions) != 1 || len(o.APIKeys) != 1 {
		t.Fatalf("overview = %s, %d members, %d subscriptions, %d keys", o.Organization.Slug, len(o.Members), len(o.Subscriptions), len(o.APIKeys))
	}
	if s := o.Subscriptions[0]; s.ID != sub.ID || s.SeatsUsed != 1 || s.TotalSeats != 5 {
		t.Errorf("subscription = %+v", s)
	}
	if o.APIKeys[0].Name != "Billing sync" || len(o.RecentAudit) == 0 || o.More {
		t.Errorf("keys %+v, %d audit entries, more %v", o.APIKeys, len(o.RecentAudit), o.More)
	}
	for _, e := range o.RecentAudit {
		if e.OrgID != o.Organization.ID {
			t.Errorf("audit entry of another organization: %+v", e)
		}
	}
	if _, err := env.Svc.OrganizationOverview(ctx, owner.Actor(""), "acme"); app.ErrorKind(err) != app.KindForbidden {
		t.Errorf("customer owner: %v, want forbidden", err)
	}
	if _, err := env.Svc.OrganizationOverview(ctx, op.Actor(""), "nope"); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("unknown organization: %v, want not found", err)
	}

	// The audit log's names: the subscription reads as product and
	// organization, the organization and the user by name.
	names, err := env.Svc.NamesForAudit(ctx, op.Actor(""), o.RecentAudit)
	if err != nil {
		t.Fatal(err)
	}
	if got := names[app.NameKey("subscription", sub.ID)]; got != "Otomate social for "+o.Organization.Name {
		t.Errorf("subscription name = %q", got)
	}
	if got := names[app.NameKey("organization", o.Organization.ID)]; got != o.Organization.Name {
		t.Errorf("organization name = %q", got)
	}
	if got := names[app.NameKey("user", owner.User.ID)]; got != owner.User.Name {
		t.Errorf("user name = %q, want %q", got, owner.User.Name)
	}
	if _, err := env.Svc.NamesForAudit(ctx, owner.Actor(""), o.RecentAudit); app.ErrorKind(err) != app.KindForbidden {
		t.Errorf("customer owner names: %v, want forbidden", err)
	}

	// The action filter offers the actions that occurred, each once, sorted.
	actions, err := env.Svc.AuditActions(ctx, op.Actor(""))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(actions) || len(slices.Compact(slices.Clone(actions))) != len(actions) ||
		!slices.Contains(actions, "subscription.created") || !slices.Contains(actions, "api_key.created") || slices.Contains(actions, "product.deleted") {
		t.Errorf("audit actions = %v", actions)
	}
	if _, err := env.Svc.AuditActions(ctx, owner.Actor("")); app.ErrorKind(err) != app.KindForbidden {
		t.Errorf("customer owner actions: %v, want forbidden", err)
	}
}
