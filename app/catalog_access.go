package app

import (
	"context"

	"optare/store"
)

// ProductAccess is a product a user can use now, as tokens, userinfo and the
// client portal list it (the guide's {id, slug, name, features}).
type ProductAccess struct {
	ID          string   `json:"id"`
	Slug        string   `json:"slug"`
	Name        string   `json:"name"`
	Description string   `json:"-"`
	Features    []string `json:"features"`
	// SubscriptionID is the live subscription that grants access.
	SubscriptionID string `json:"-"`
	// HasSeat is false when the user has no seat yet but one would be given
	// to them automatically on first use.
	HasSeat bool `json:"-"`
}

// hasAccess applies SPEC §4: a live, unexpired subscription (the query
// filters those) and a seat held, or a free seat the subscription hands out
// automatically.
func hasAccess(a store.Access) bool {
	return a.HasSeat || (a.AutoAssign && a.SeatsUsed < a.TotalSeats)
}

// UserProducts lists the products userID can use now. It is the one source
// of the "products" claim in access tokens and userinfo and of the portal's
// product list, so all of them follow subscription changes at once.
func (s *Service) UserProducts(ctx context.Context, userID string) ([]ProductAccess, error) {
	var out []ProductAccess
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = userProducts(ctx, tx, userID)
		return err
	})
	if err != nil {
		return nil, errInternal("user products: %w", err)
	}
	return out, nil
}

func userProducts(ctx context.Context, tx *store.Tx, userID string) ([]ProductAccess, error) {
	rows, err := tx.AccessOfUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	return productsFromAccess(rows)
}

// productsFromAccess keeps the rows that give access now (hasAccess).
func productsFromAccess(rows []store.Access) ([]ProductAccess, error) {
	out := []ProductAccess{}
	for _, r := range rows {
		if !hasAccess(r) {
			continue
		}
		p := ProductAccess{ID: r.ProductID, Slug: r.Slug, Name: r.Name, Description: r.Description,
			SubscriptionID: r.SubscriptionID, HasSeat: r.HasSeat, Features: append([]string{}, r.Features...)}
		out = append(out, p)
	}
	return out, nil
}
