package app

import (
	"context"
	"errors"
	"fmt"

	"optare/store"
)

// MaxRateLimit bounds an override: high enough for any licence-checking
// backend, low enough that the counters stay meaningful.
const MaxRateLimit = 1_000_000

// RateLimitSetting is an organization's or an API key's rate limit as an
// operator set it: 0 means the server's default (DefaultLimit shows it).
type RateLimitSetting struct {
	OrganizationID string `json:"organization_id,omitempty"`
	APIKeyID       string `json:"api_key_id,omitempty"`
	Limit          int    `json:"limit"`
	Window         string `json:"window"` // "minute" or "hour"
	DefaultLimit   int    `json:"default_limit"`
}

func checkRateLimit(n int) error {
	if n < 0 || n > MaxRateLimit {
		return errInvalid(map[string]string{"limit": fmt.Sprintf("Give a number of requests from 1 to %d, or 0 for the default.", MaxRateLimit)})
	}
	return nil
}

// SetOrganizationRateLimit sets how many REST API requests per hour the
// organization's API keys may make together (0: the default of serve
// --rate-limit-org). Operator admins only.
func (s *Service) SetOrganizationRateLimit(ctx context.Context, a Actor, orgRef string, perHour int) (RateLimitSetting, error) {
	if err := checkRateLimit(perHour); err != nil {
		return RateLimitSetting{}, err
	}
	if !a.IsOperatorAdmin() {
		return RateLimitSetting{}, errForbidden("Only the operator sets rate limits.")
	}
	org, err := s.OrganizationByRef(ctx, a, orgRef)
	if err != nil {
		return RateLimitSetting{}, err
	}
	out := RateLimitSetting{OrganizationID: org.ID, Limit: perHour, Window: "hour", DefaultLimit: s.limits.PerOrganization.Limit}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		old, err := tx.OrgRateLimit(ctx, org.ID)
		if err != nil {
			return errInternal("read rate limit: %w", err)
		}
		if err := tx.SetOrgRateLimit(ctx, org.ID, perHour); err != nil {
			return errInternal("set rate limit: %w", err)
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "organization.rate_limit_changed", TargetType: "organization", TargetID: org.ID,
			OrgID: org.ID, Details: map[string]any{"per_hour": map[string]int{"from": old, "to": perHour}}})
	})
	return out, err
}

// SetAPIKeyRateLimit sets how many REST API requests per minute one key may
// make (0: the default of serve --rate-limit-key). Operator admins only.
func (s *Service) SetAPIKeyRateLimit(ctx context.Context, a Actor, keyID string, perMinute int) (RateLimitSetting, error) {
	if err := checkRateLimit(perMinute); err != nil {
		return RateLimitSetting{}, err
	}
	if !a.IsOperatorAdmin() {
		return RateLimitSetting{}, errForbidden("Only the operator sets rate limits.")
	}
	out := RateLimitSetting{APIKeyID: keyID, Limit: perMinute, Window: "minute", DefaultLimit: s.limits.PerCredential.Limit}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.APIKey(ctx, keyID)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound("API key")
		}
		if err != nil {
			return errInternal("read api key: %w", err)
		}
		out.OrganizationID = row.OrgID
		if err := tx.SetAPIKeyRateLimit(ctx, keyID, perMinute); err != nil {
			return errInternal("set rate limit: %w", err)
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "api_key.rate_limit_changed", TargetType: "api_key", TargetID: keyID,
			OrgID: row.OrgID, Details: map[string]any{"per_minute": map[string]int{"from": row.RateLimitPerMinute, "to": perMinute}}})
	})
	return out, err
}

// limitsOf are the limits that apply to the actor: the defaults, or the
// overrides its API key and organization carry.
func (s *Service) limitsOf(a Actor) (cred, org RateLimit) {
	cred, org = s.limits.PerCredential, s.limits.PerOrganization
	if a.keyPerMinute > 0 {
		cred.Limit = a.keyPerMinute
	}
	if a.orgPerHour > 0 {
		org.Limit = a.orgPerHour
	}
	return cred, org
}

// RateLimitDefaults are the limits without an override: requests per minute
// per API key and per hour per organization.
func (s *Service) RateLimitDefaults() (perKeyMinute, perOrgHour int) {
	return s.limits.PerCredential.Limit, s.limits.PerOrganization.Limit
}
