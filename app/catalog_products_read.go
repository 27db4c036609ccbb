package app

import (
	"context"
	"errors"

	"optare/store"
)

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
		page.Products, page.NextCursor = pageOf(rows, limit, productFromRow,
			func(r store.Product) string { return r.ID })
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
