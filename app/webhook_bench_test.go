package app_test

import (
	"context"
	"testing"

	"optare/app"
	"optare/app/apptest"
)

// BenchmarkOutboxWrite measures what the outbox adds to a change that
// emits events: a seat assigned and unassigned (two writes, two events),
// with no endpoint (a lookup, nothing written) and with one endpoint that
// takes both events (an event row and a delivery row per change).
func BenchmarkOutboxWrite(b *testing.B) {
	for _, endpoints := range []int{0, 1} {
		name := map[int]string{0: "no-endpoint", 1: "one-endpoint"}[endpoints]
		b.Run(name, func(b *testing.B) {
			env := apptest.New(b)
			env.Operator(b)
			u := env.Customer(b, "acme", "m@acme.test", app.RoleMember)
			ctx, cli := context.Background(), app.CLI()
			if _, err := env.Svc.CreateProduct(ctx, cli, app.ProductInput{Name: "Alpha", Slug: "alpha"}); err != nil {
				b.Fatal(err)
			}
			sub, err := env.Svc.CreateSubscription(ctx, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "alpha", TotalSeats: 5, BillingCycle: "monthly", Status: "active"})
			if err != nil {
				b.Fatal(err)
			}
			if endpoints == 1 {
				if _, err := env.Svc.CreateWebhookEndpoint(ctx, cli, app.WebhookInput{OrganizationID: "acme", URL: "https://hooks.example.com/in",
					Events: []string{"seat.assigned", "seat.unassigned"}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := env.Svc.AssignSeat(ctx, cli, sub.ID, u.User.ID); err != nil {
					b.Fatal(err)
				}
				if err := env.Svc.UnassignSeat(ctx, cli, sub.ID, u.User.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
