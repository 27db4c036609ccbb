package app

import (
	"context"
	"time"

	"optare/store"
)

// UsableProduct is a product a user can use now (UserProducts) with what the
// client portal shows beside it.
type UsableProduct struct {
	ProductAccess
	DocumentationURL string
	// SeatSince is when the user's seat was assigned, or nil when they hold
	// none yet (the subscription hands one out automatically on first use).
	// Optare records no per-user "last use" of a product: license checks are
	// a hot path and stay read-only.
	SeatSince *time.Time
}

// UsableProducts lists the products the signed-in user a can use now, with
// each product's documentation link and when the user's seat was assigned.
// Only users have products; any other actor gets an empty list.
func (s *Service) UsableProducts(ctx context.Context, a Actor) ([]UsableProduct, error) {
	out := []UsableProduct{}
	if a.Kind != ActorUser || a.ID == "" {
		return out, nil
	}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		access, err := userProducts(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		seats, err := tx.SeatsOfUser(ctx, a.ID)
		if err != nil {
			return err
		}
		since := make(map[string]time.Time, len(seats))
		for _, st := range seats {
			since[st.SubscriptionID] = st.AssignedAt
		}
		for _, p := range access {
			row, err := tx.Product(ctx, p.ID)
			if err != nil {
				return err
			}
			u := UsableProduct{ProductAccess: p, DocumentationURL: row.DocumentationURL}
			if at, ok := since[p.SubscriptionID]; ok {
				u.SeatSince = &at
			}
			out = append(out, u)
		}
		return nil
	})
	if err != nil {
		return nil, errInternal("usable products: %w", err)
	}
	return out, nil
}
