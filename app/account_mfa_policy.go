package app

import (
	"context"
	"errors"

	"optare/store"
)

// SetOrgMFARequired turns an organization's second-factor requirement on or
// off. Operator owners and admins set it for any organization; an owner for
// their own. Members without a second factor are taken through set-up at
// their next request.
func (s *Service) SetOrgMFARequired(ctx context.Context, a Actor, orgRef string, require bool) (Organization, error) {
	var org store.Organization
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		org, err = tx.Organization(ctx, orgRef)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound("Organization")
		}
		if err != nil {
			return errInternal("read organization: %w", err)
		}
		own := a.Kind == ActorUser && a.OrgID == org.ID && a.Role == RoleOwner
		if !a.IsOperatorAdmin() && !own {
			return errForbidden("Only an owner of the organization or an operator can change its sign-in policy.")
		}
		if err := tx.SetOrgRequireMFA(ctx, org.ID, require); err != nil {
			return errInternal("set mfa policy: %w", err)
		}
		org.RequireMFA = require
		return s.audit(ctx, tx, a, AuditRecord{Action: "organization.mfa_policy", TargetType: "organization", TargetID: org.ID,
			OrgID: org.ID, Details: map[string]any{"require_mfa": require}})
	})
	if err != nil {
		return Organization{}, err
	}
	return orgFromRow(org), nil
}

// OrgMFARequired reads an organization's second-factor policy, for its
// members and operator admins.
func (s *Service) OrgMFARequired(ctx context.Context, a Actor, orgRef string) (bool, error) {
	var req bool
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		org, err := tx.Organization(ctx, orgRef)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound("Organization")
		}
		if err != nil {
			return errInternal("read organization: %w", err)
		}
		if !a.IsOperatorAdmin() && a.OrgID != org.ID {
			return errNotFound("Organization")
		}
		req, err = tx.OrgRequiresMFA(ctx, org.ID)
		if err != nil {
			return errInternal("read mfa policy: %w", err)
		}
		return nil
	})
	return req, err
}
