package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"optare/app"
	"optare/app/apptest"
	"optare/store"
)

// TestNamesForAuditBatched: a full audit page naming organizations, users,
// products, subscriptions, clients and API keys many times over is named in
// a number of round trips bounded by the number of types, not of entries;
// each object gets the name the log has always shown (a user without a
// name by email, a subscription by product and organization), an object
// since deleted the empty name, and a type with no name nothing.
func TestNamesForAuditBatched(t *testing.T) {
	env := apptest.New(t)
	ctx, cli := context.Background(), app.CLI()
	op := env.Operator(t)
	want := app.AuditNames{
		app.NameKey("organization", op.Org.ID): "Operator Inc",
		app.NameKey("user", op.User.ID):        op.User.Name,
	}
	var keyID, clientID string
	for i := range 6 {
		slug := fmt.Sprintf("org%d", i)
		acc := env.Customer(t, slug, slug+"@example.com", app.RoleOwner)
		want[app.NameKey("organization", acc.Org.ID)] = slug
		want[app.NameKey("user", acc.User.ID)] = acc.User.Name
		p, err := env.Svc.CreateProduct(ctx, cli, app.ProductInput{Name: "Product " + slug, Slug: "p-" + slug})
		if err != nil {
			t.Fatal(err)
		}
		want[app.NameKey("product", p.ID)] = p.Name
		sub, err := env.Svc.CreateSubscription(ctx, cli, app.SubscriptionInput{OrganizationID: slug, ProductID: p.ID,
			TotalSeats: 2, PricePerSeat: "1", BillingCycle: "monthly", Status: "active"})
		if err != nil {
			t.Fatal(err)
		}
		want[app.NameKey("subscription", sub.ID)] = p.Name + " for " + slug
		if _, err := env.Svc.AssignSeat(ctx, cli, sub.ID, acc.User.ID); err != nil {
			t.Fatal(err)
		}
		k, err := env.Svc.CreateAPIKey(ctx, cli, app.APIKeyInput{OrganizationID: slug, Name: "Key " + slug})
		if err != nil {
			t.Fatal(err)
		}
		want[app.NameKey("api_key", k.ID)] = k.Name
		c, err := env.Svc.CreateClient(ctx, cli, app.ClientInput{Name: "App " + slug, RedirectURIs: []string{"https://" + slug + ".example.com/cb"}})
		if err != nil {
			t.Fatal(err)
		}
		want[app.NameKey("client", c.ID)] = c.Name
		keyID, clientID = k.ID, c.ID
	}
	// Users made before names were required have none: the log shows
	// their email.
	nameless := env.Customer(t, "org0", "nameless@example.com", app.RoleMember)
	want[app.NameKey("user", nameless.User.ID)] = "nameless@example.com"
	err := env.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, nameless.User.ID)
		if err != nil {
			return err
		}
		u.Name = ""
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		t.Fatal(err)
	}

	page, err := env.Svc.ListAudit(ctx, op.Actor(""), app.AuditQuery{Limit: app.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	entries := append(page.Entries,
		app.AuditEntry{ActorType: "api_key", ActorID: keyID, TargetType: "product", TargetID: "prod_deleted"},
		app.AuditEntry{ActorType: "client", ActorID: clientID, TargetType: "webhook_endpoint", TargetID: "whe_1"})
	want[app.NameKey("product", "prod_deleted")] = ""
	if len(entries) < 40 {
		t.Fatalf("only %d audit entries: the page must name many objects", len(entries))
	}

	before := env.DB.RoundTrips()
	names, err := env.Svc.NamesForAudit(ctx, op.Actor(""), entries)
	if err != nil {
		t.Fatal(err)
	}
	// Six types, one query each, plus BEGIN and COMMIT; on PostgreSQL a
	// statement text not seen before on a connection is prepared first.
	const types = 6
	if trips := env.DB.RoundTrips() - before; trips > 2*types+2 {
		t.Errorf("%d round trips for %d entries, want at most %d", trips, len(entries), 2*types+2)
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}
