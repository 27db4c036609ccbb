package store

import (
	"context"
	"database/sql"
	"time"
)

// APIKey is an api_keys row, with whether its organization is the operator.
type APIKey struct {
	ID          string
	SecretHash  string
	OrgID       string
	Name        string
	Environment string
	CreatedBy   string
	CreatedAt   time.Time
	ExpiresAt   time.Time // zero: never
	LastUsedAt  time.Time
	RevokedAt   time.Time
	OrgOperator bool // read only
	// RateLimitPerMinute overrides the default per-key limit (0: default).
	RateLimitPerMinute int
	// OrgRateLimitPerHour is the organization's override (read only; 0:
	// default).
	OrgRateLimitPerHour int
}

const apiKeyColumns = "k.id, k.secret_hash, k.org_id, k.name, k.environment, k.created_by, k.created_at, k.expires_at, k.last_used_at, k.revoked_at, o.is_operator, k.rate_limit_per_minute, o.rate_limit_per_hour"

// apiKeyWidth is the number of apiKeyColumns.
const apiKeyWidth = 13

// apiKeyByIDSQL reads the key whose id is the placeholder id.
func apiKeyByIDSQL(id string) string {
	return "SELECT " + apiKeyColumns + " FROM api_keys k JOIN organizations o ON o.id = k.org_id WHERE k.id = " + id
}

var apiKeyQuery = hot(apiKeyByIDSQL("?"))

func scanAPIKey(row scanner) (APIKey, error) {
	var k APIKey
	var created string
	var expires, used, revoked sql.NullString
	err := row.Scan(&k.ID, &k.SecretHash, &k.OrgID, &k.Name, &k.Environment, &k.CreatedBy, &created,
		&expires, &used, &revoked, &k.OrgOperator, &k.RateLimitPerMinute, &k.OrgRateLimitPerHour)
	if err != nil {
		return k, mapErr(err)
	}
	k.CreatedAt = parseTime(created)
	k.ExpiresAt, k.LastUsedAt, k.RevokedAt = parseNullTime(expires), parseNullTime(used), parseNullTime(revoked)
	return k, nil
}

// InsertAPIKey adds an API key; an unknown organization is ErrReference.
func (tx *Tx) InsertAPIKey(ctx context.Context, k APIKey) error {
	_, err := tx.exec(ctx, `INSERT INTO api_keys (id, secret_hash, org_id, name, environment, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, k.ID, k.SecretHash, k.OrgID, k.Name, k.Environment, k.CreatedBy,
		formatTime(k.CreatedAt), nullTime(k.ExpiresAt))
	return err
}

// APIKey finds an API key by id.
func (tx *Tx) APIKey(ctx context.Context, id string) (APIKey, error) {
	return scanAPIKey(tx.queryRow(ctx, apiKeyQuery, id))
}

// APIKeys lists API keys ordered by id after the cursor; orgID narrows to
// one organization when not empty.
func (tx *Tx) APIKeys(ctx context.Context, orgID, after string, limit int) ([]APIKey, error) {
	q := "SELECT " + apiKeyColumns + " FROM api_keys k JOIN organizations o ON o.id = k.org_id WHERE k.id > ?"
	args := []any{after}
	if orgID != "" {
		q += " AND k.org_id = ?"
		args = append(args, orgID)
	}
	rows, err := tx.query(ctx, q+" ORDER BY k.id LIMIT ?", append(args, max(limit, 1))...)
	return collect(rows, err, scanAPIKey)
}

// RevokeAPIKey marks a key revoked; ErrNotFound when it does not exist or
// is revoked already.
func (tx *Tx) RevokeAPIKey(ctx context.Context, id string) error {
	return tx.execOne(ctx, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", formatTime(tx.Now), id)
}

// TouchAPIKeys records last-used times in one statement per key, never
// moving a time backwards.
func (tx *Tx) TouchAPIKeys(ctx context.Context, used map[string]time.Time) error {
	for id, t := range used {
		ts := formatTime(t)
		if _, err := tx.exec(ctx, "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)", ts, id, ts); err != nil {
			return err
		}
	}
	return nil
}

// SetAPIKeyRateLimit sets a key's per-minute limit (0: the default).
func (tx *Tx) SetAPIKeyRateLimit(ctx context.Context, id string, perMinute int) error {
	return tx.execOne(ctx, "UPDATE api_keys SET rate_limit_per_minute = ? WHERE id = ?", perMinute, id)
}

// OrgRateLimit is an organization's per-hour limit (0: the default).
func (tx *Tx) OrgRateLimit(ctx context.Context, orgID string) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT rate_limit_per_hour FROM organizations WHERE id = ?", orgID).Scan(&n)
	return n, mapErr(err)
}

// SetOrgRateLimit sets an organization's per-hour limit (0: the default).
func (tx *Tx) SetOrgRateLimit(ctx context.Context, orgID string, perHour int) error {
	return tx.execOne(ctx, "UPDATE organizations SET rate_limit_per_hour = ? WHERE id = ?", perHour, orgID)
}
