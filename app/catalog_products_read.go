package app

import (
	"context"
	"errors"

	"optare/store"
)

// Cursor is a list's next-page cursor; JSON writes an empty one as null.
type Cursor string

// MarshalJSON writes null for the last page.
func (c Cursor) MarshalJSON() ([]byte, error) {
	if c == "" {
		return []byte("null"), nil
	}
	return []byte(`"` + string(c) + `"`), nil // cursors are ids or digits: nothing to escape
}

// ProductQuery filters ListProducts.
type ProductQuery struct {
	Cursor          string
	Limit           int
	IncludeArchived bool
}

// ProductPage is one page of products (GET /v1/products).
type ProductPage struct {
	Products   []Product `json:"products"`
	NextCursor Cursor    `json:"next_cursor"`
}

// ListProducts lists the catalogue. Any authenticated caller may read it;
// archived products only on request.
func (s *Service) ListProducts(ctx context.Context, a Actor, q ProductQuery) (ProductPage, error) {
	limit := clampLimit(q.Limit)
	page := ProductPage{Products: []Product{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Products(ctx, store.ProductFilter{After: q.Cursor, Limit: limit + 1, IncludeArchived: q.IncludeArchived})
		if err != nil {
			return err
		}
		for i, r := range rows {
			if i == limit {
				page.NextCursor = Cursor(rows[i-1].ID)
				break
			}
			page.Products = append(page.Products, productFromRow(r))
		}
		return nil
	})
	if err != nil {
		return ProductPage{}, errInternal("list products: %w", err)
	}
	return page, nil
}

// ProductByRef finds a product by id or slug, archived or not.
func (s *Service) ProductByRef(ctx context.Context, a Actor, ref string) (Product, error) {
	var p Product
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		row, err := tx.Product(ctx, ref)
		p = productFromRow(row)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Product{}, errNotFound("Product")
	}
	if err != nil {
		return Product{}, errInternal("read product: %w", err)
	}
	return p, nil
}
