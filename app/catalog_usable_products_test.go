package app_test

import (
	"testing"

	"optare/app"
)

func TestUsableProducts(t *testing.T) {
	c := newCatalog(t)
	acc := c.env.Customer(t, "acme", "a@acme.test", app.RoleAdmin)
	docs := "https://docs.example.com/alpha"
	if _, err := c.env.Svc.UpdateProduct(c.ctx, c.cli, "alpha", app.ProductPatch{DocumentationURL: &docs}); err != nil {
		t.Fatal(err)
	}
	me := acc.Actor("")
	got, err := c.env.Svc.UsableProducts(c.ctx, me)
	if err != nil || len(got) != 0 {
		t.Fatalf("before subscribing: %v, %v", got, err)
	}
	sub := c.subscribe(t, 2, app.StatusActive, "")
	got, err = c.env.Svc.UsableProducts(c.ctx, me)
	if err != nil || len(got) != 1 || got[0].Slug != "alpha" || got[0].SeatSince != nil || got[0].DocumentationURL != "https://docs.example.com/alpha" {
		t.Fatalf("automatic seat not yet taken: %+v, %v", got, err)
	}
	if _, err := c.env.Svc.AssignSeat(c.ctx, c.cli, sub.ID, acc.User.ID); err != nil {
		t.Fatal(err)
	}
	got, err = c.env.Svc.UsableProducts(c.ctx, me)
	if err != nil || len(got) != 1 || got[0].SeatSince == nil || !got[0].SeatSince.Equal(c.env.Clock.Now()) {
		t.Fatalf("with a seat: %+v, %v", got, err)
	}
	if got, err := c.env.Svc.UsableProducts(c.ctx, app.CLI()); err != nil || len(got) != 0 {
		t.Fatalf("cli actor: %v, %v", got, err)
	}
}
