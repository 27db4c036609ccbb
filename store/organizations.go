package store

import (
	"context"
	"time"
)

// Organization is an organizations row.
type Organization struct {
	ID         string
	Slug       string
	Name       string
	IsOperator bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// RateLimitPerHour is the operator's override of the organization's
	// REST API limit (0: the default); written by SetOrgRateLimit only.
	RateLimitPerHour int
}

const orgColumns = "id, slug, name, is_operator, created_at, updated_at, rate_limit_per_hour"

func scanOrganization(row scanner) (Organization, error) {
	var o Organization
	var created, updated string
	if err := row.Scan(&o.ID, &o.Slug, &o.Name, &o.IsOperator, &created, &updated, &o.RateLimitPerHour); err != nil {
		return o, mapErr(err)
	}
	o.CreatedAt, o.UpdatedAt = parseTime(created), parseTime(updated)
	return o, nil
}

// InsertOrganization adds an organization; a taken slug is ErrConflict.
func (tx *Tx) InsertOrganization(ctx context.Context, o Organization) error {
	_, err := tx.exec(ctx, "INSERT INTO organizations (id, slug, name, is_operator, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
		o.ID, o.Slug, o.Name, o.IsOperator, formatTime(o.CreatedAt), formatTime(o.UpdatedAt))
	return err
}

var orgByRefQuery = hot("SELECT " + orgColumns + " FROM organizations WHERE id = ? OR slug = ?")

// Organization finds an organization by id or slug.
func (tx *Tx) Organization(ctx context.Context, idOrSlug string) (Organization, error) {
	return scanOrganization(tx.queryRow(ctx, orgByRefQuery, idOrSlug, idOrSlug))
}

// OperatorOrganization returns the operator organization, or ErrNotFound
// before first-run setup.
func (tx *Tx) OperatorOrganization(ctx context.Context) (Organization, error) {
	return scanOrganization(tx.queryRow(ctx, "SELECT "+orgColumns+" FROM organizations WHERE is_operator = 1"))
}

// Organizations lists organizations ordered by id, after the cursor id.
func (tx *Tx) Organizations(ctx context.Context, after string, limit int) ([]Organization, error) {
	rows, err := tx.query(ctx, "SELECT "+orgColumns+" FROM organizations WHERE id > ? ORDER BY id LIMIT ?", after, limit)
	return collect(rows, err, scanOrganization)
}

// CountOrganizations counts customer organizations (the operator excluded).
func (tx *Tx) CountOrganizations(ctx context.Context) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM organizations WHERE is_operator = 0").Scan(&n)
	return n, err
}
