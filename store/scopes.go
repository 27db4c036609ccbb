package store

import (
	"context"
	"strings"
)

// ScopeProduct is a product named by an OAuth scope (its slug).
type ScopeProduct struct {
	ID   string
	Slug string
	Name string
}

// ScopeProducts finds the products, not archived, whose slugs are among
// slugs. OAuth uses it to tell product scopes from unknown ones and to
// describe them on the consent screen.
func (tx *Tx) ScopeProducts(ctx context.Context, slugs []string) ([]ScopeProduct, error) {
	if len(slugs) == 0 {
		return nil, nil
	}
	args := make([]any, len(slugs))
	for i, s := range slugs {
		args[i] = s
	}
	rows, err := tx.query(ctx, "SELECT id, slug, name FROM products WHERE archived_at IS NULL AND slug IN (?"+
		strings.Repeat(", ?", len(slugs)-1)+") ORDER BY slug", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ScopeProduct
	for rows.Next() {
		var p ScopeProduct
		if err := rows.Scan(&p.ID, &p.Slug, &p.Name); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ProductScopes lists the slugs of every product not archived, for the
// discovery document's scopes_supported.
func (tx *Tx) ProductScopes(ctx context.Context) ([]string, error) {
	rows, err := tx.query(ctx, "SELECT slug FROM products WHERE archived_at IS NULL ORDER BY slug")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
