package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Product is a products row.
type Product struct {
	ID               string
	Slug             string
	Name             string
	Description      string
	Features         []string // stored as a JSON array
	DocumentationURL string
	ArchivedAt       time.Time // zero while the product is in the catalogue
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// LicenseCheckIn and LicenseGrace (seconds) shape licence tokens.
	LicenseCheckIn int
	LicenseGrace   int
	// MachinesPerSeat (0: no limit), Floating and LeaseTTL (seconds) rule
	// machine activations.
	MachinesPerSeat int
	Floating        bool
	LeaseTTL        int
}

const productColumns = "id, slug, name, description, features, documentation_url, archived_at, created_at, updated_at, license_check_in, license_grace, machines_per_seat, floating, lease_ttl"

func scanProduct(row scanner) (Product, error) {
	var p Product
	var archived sql.NullString
	var created, updated, features string
	err := row.Scan(&p.ID, &p.Slug, &p.Name, &p.Description, &features, &p.DocumentationURL, &archived, &created, &updated,
		&p.LicenseCheckIn, &p.LicenseGrace, &p.MachinesPerSeat, &p.Floating, &p.LeaseTTL)
	if err != nil {
		return p, mapErr(err)
	}
	p.ArchivedAt, p.CreatedAt, p.UpdatedAt = parseNullTime(archived), parseTime(created), parseTime(updated)
	if p.Features, err = decodeList(features); err != nil {
		return p, fmt.Errorf("product %s: %w", p.ID, err)
	}
	return p, nil
}

// InsertProduct adds a product; a taken slug is ErrConflict.
func (tx *Tx) InsertProduct(ctx context.Context, p Product) error {
	_, err := tx.exec(ctx, "INSERT INTO products ("+productColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		p.ID, p.Slug, p.Name, p.Description, encodeList(p.Features), p.DocumentationURL, nullTime(p.ArchivedAt),
		formatTime(p.CreatedAt), formatTime(p.UpdatedAt), p.LicenseCheckIn, p.LicenseGrace,
		p.MachinesPerSeat, p.Floating, p.LeaseTTL)
	return err
}

// UpdateProduct writes back the mutable columns of a product.
func (tx *Tx) UpdateProduct(ctx context.Context, p Product) error {
	return tx.execOne(ctx, `UPDATE products SET name = ?, description = ?, features = ?, documentation_url = ?,
		archived_at = ?, updated_at = ?, license_check_in = ?, license_grace = ?,
		machines_per_seat = ?, floating = ?, lease_ttl = ? WHERE id = ?`,
		p.Name, p.Description, encodeList(p.Features), p.DocumentationURL, nullTime(p.ArchivedAt), formatTime(p.UpdatedAt),
		p.LicenseCheckIn, p.LicenseGrace, p.MachinesPerSeat, p.Floating, p.LeaseTTL, p.ID)
}

// Product finds a product by id or slug.
func (tx *Tx) Product(ctx context.Context, idOrSlug string) (Product, error) {
	return scanProduct(tx.queryRow(ctx, "SELECT "+productColumns+" FROM products WHERE id = ? OR slug = ?", idOrSlug, idOrSlug))
}

// ProductFilter selects products: ordered by id, after the cursor id.
type ProductFilter struct {
	After           string
	Limit           int
	IncludeArchived bool
}

// Products lists products ordered by id.
func (tx *Tx) Products(ctx context.Context, f ProductFilter) ([]Product, error) {
	q := "SELECT " + productColumns + " FROM products WHERE id > ?"
	if !f.IncludeArchived {
		q += " AND archived_at IS NULL"
	}
	rows, err := tx.query(ctx, q+" ORDER BY id LIMIT ?", f.After, max(f.Limit, 1))
	return collect(rows, err, scanProduct)
}

// CountProducts counts the products in the catalogue (archived ones left out).
func (tx *Tx) CountProducts(ctx context.Context) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM products WHERE archived_at IS NULL").Scan(&n)
	return n, err
}
