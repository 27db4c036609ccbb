package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"optare/store"
)

// API key environments: a label for the owner, not a sandbox.
const (
	EnvLive = "live"
	EnvTest = "test"
)

// APIKey is an organization's API key as lists show it: never the secret.
type APIKey struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	OrganizationID string     `json:"organization_id"`
	Environment    string     `json:"environment"`
	CreatedAt      time.Time  `json:"created_at"`
	ExpiresAt      *time.Time `json:"expires_at"`
	LastUsedAt     *time.Time `json:"last_used_at"`
	RevokedAt      *time.Time `json:"revoked_at"`
	// RateLimitPerMinute is the operator's override (0: the default).
	RateLimitPerMinute int `json:"rate_limit_per_minute"`
}

// NewAPIKey is a key just created: the only time its secret is shown. Key
// is the bearer value (the id), Secret goes in X-API-Secret.
type NewAPIKey struct {
	APIKey
	Key    string `json:"key"`
	Secret string `json:"secret"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func apiKeyFromRow(k store.APIKey) APIKey {
	return APIKey{ID: k.ID, Name: k.Name, OrganizationID: k.OrgID, Environment: k.Environment, CreatedAt: k.CreatedAt,
		ExpiresAt: timePtr(k.ExpiresAt), LastUsedAt: timePtr(k.LastUsedAt), RevokedAt: timePtr(k.RevokedAt),
		RateLimitPerMinute: k.RateLimitPerMinute}
}

// APIKeyInput creates an API key for an organization (id or slug).
type APIKeyInput struct {
	OrganizationID string `json:"organization_id"`
	Name           string `json:"name"`
	Environment    string `json:"environment"`
	ExpiresAt      string `json:"expires_at"`
}

// CreateAPIKey creates a key for an organization: operator admins for any,
// an organization's admins for their own. The secret is returned once and
// stored hashed.
func (s *Service) CreateAPIKey(ctx context.Context, a Actor, in APIKeyInput) (NewAPIKey, error) {
	f := fields{}
	in.Name = checkName(f, "name", "a name for the key", in.Name, 100)
	if in.Environment == "" {
		in.Environment = EnvLive
	}
	if in.Environment != EnvLive && in.Environment != EnvTest {
		f.add("environment", "Choose live or test.")
	}
	if strings.TrimSpace(in.OrganizationID) == "" {
		f.add("organization_id", "Choose an organization.")
	}
	var expires time.Time
	if strings.TrimSpace(in.ExpiresAt) != "" {
		var msg string
		if expires, msg = parseEndDate(in.ExpiresAt); msg != "" {
			f.add("expires_at", msg)
		} else if !expires.After(s.now()) {
			f.add("expires_at", "Choose a time in the future.")
		}
	}
	if err := f.err(); err != nil {
		return NewAPIKey{}, err
	}
	org, err := s.OrganizationByRef(ctx, a, in.OrganizationID)
	if err != nil {
		return NewAPIKey{}, err
	}
	if !a.IsOrgAdmin(org.ID) {
		return NewAPIKey{}, errForbidden("Only the organization's owners and admins manage its API keys.")
	}
	secret := newSecret("sk_")
	var out NewAPIKey
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		row := store.APIKey{ID: newID(prefixKey), SecretHash: hashSecret(secret), OrgID: org.ID, Name: in.Name,
			Environment: in.Environment, CreatedBy: a.Label, CreatedAt: tx.Now, ExpiresAt: expires}
		if err := tx.InsertAPIKey(ctx, row); err != nil {
			return errInternal("insert api key: %w", err)
		}
		out = NewAPIKey{APIKey: apiKeyFromRow(row), Key: row.ID, Secret: secret}
		return s.audit(ctx, tx, a, AuditRecord{Action: "api_key.created", TargetType: "api_key", TargetID: row.ID,
			OrgID: org.ID, Details: map[string]any{"name": row.Name, "environment": row.Environment, "expires_at": out.ExpiresAt}})
	})
	return out, err
}

// APIKeyQuery filters ListAPIKeys.
type APIKeyQuery struct {
	Organization string
	Cursor       string
	Limit        int
}

// APIKeyPage is one page of API keys.
type APIKeyPage struct {
	APIKeys    []APIKey `json:"api_keys"`
	NextCursor Cursor   `json:"next_cursor"`
}

// ListAPIKeys lists keys: all for operator admins (or one organization's),
// their own organization's for its admins.
func (s *Service) ListAPIKeys(ctx context.Context, a Actor, q APIKeyQuery) (APIKeyPage, error) {
	orgID := ""
	if q.Organization != "" {
		org, err := s.OrganizationByRef(ctx, a, q.Organization)
		if err != nil {
			return APIKeyPage{}, err
		}
		orgID = org.ID
	}
	if !a.IsOperatorAdmin() {
		if !a.IsOrgAdmin(a.OrgID) {
			return APIKeyPage{}, errForbidden("Only the organization's owners and admins manage its API keys.")
		}
		orgID = a.OrgID
	}
	limit := clampLimit(q.Limit)
	page := APIKeyPage{APIKeys: []APIKey{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.APIKeys(ctx, orgID, q.Cursor, limit+1)
		page.APIKeys, page.NextCursor = pageOf(rows, limit, apiKeyFromRow,
			func(r store.APIKey) string { return r.ID })
		return err
	})
	if err != nil {
		return APIKeyPage{}, errInternal("list api keys: %w", err)
	}
	return page, nil
}

// RevokeAPIKey revokes a key at once. Revoking a revoked key changes nothing.
func (s *Service) RevokeAPIKey(ctx context.Context, a Actor, id string) (APIKey, error) {
	var out APIKey
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.APIKey(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !a.IsOrgAdmin(row.OrgID)) {
			return errNotFound("API key")
		}
		if err != nil {
			return errInternal("read api key: %w", err)
		}
		if !row.RevokedAt.IsZero() {
			out = apiKeyFromRow(row)
			return nil
		}
		if err := tx.RevokeAPIKey(ctx, row.ID); err != nil {
			return errInternal("revoke api key: %w", err)
		}
		row.RevokedAt = tx.Now
		out = apiKeyFromRow(row)
		return s.audit(ctx, tx, a, AuditRecord{Action: "api_key.revoked", TargetType: "api_key", TargetID: row.ID,
			OrgID: row.OrgID, Details: map[string]any{"name": row.Name}})
	})
	return out, err
}

// APIKeyByID reads one key for its admins (operators or its organization's),
// with a last-used time not yet flushed already applied.
func (s *Service) APIKeyByID(ctx context.Context, a Actor, id string) (APIKey, error) {
	var row store.APIKey
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		row, err = tx.APIKey(ctx, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.IsOrgAdmin(row.OrgID)) {
		return APIKey{}, errNotFound("API key")
	}
	if err != nil {
		return APIKey{}, errInternal("read api key: %w", err)
	}
	if t, ok := s.keyUsage.last(id); ok && t.After(row.LastUsedAt) {
		row.LastUsedAt = t
	}
	return apiKeyFromRow(row), nil
}
