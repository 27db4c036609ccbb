package app

import (
	"context"
	"errors"
	"time"

	"optare/store"
)

// Member is a user as a member of one organization.
type Member struct {
	User     User      `json:"user"`
	Role     string    `json:"role"`
	JoinedAt time.Time `json:"joined_at"`
}

// ListMembers lists an organization's members with their roles. Operator
// admins see any organization; an organization's admins their own.
func (s *Service) ListMembers(ctx context.Context, a Actor, orgRef string) (Organization, []Member, error) {
	org, err := s.OrganizationByRef(ctx, a, orgRef)
	if err != nil {
		return Organization{}, nil, err
	}
	if !a.IsOrgAdmin(org.ID) {
		return Organization{}, nil, errForbidden("Only the organization's owners and admins manage its members.")
	}
	var out []Member
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Members(ctx, org.ID)
		for _, r := range rows {
			out = append(out, Member{User: userFromRow(r.User), Role: r.Role, JoinedAt: r.JoinedAt})
		}
		return err
	})
	if err != nil {
		return Organization{}, nil, errInternal("list members: %w", err)
	}
	return org, out, nil
}

// changeMembership is the shared shape of SetMemberRole and RemoveMember:
// permission, the membership, the last-owner rule, the change and its audit
// entry in one transaction.
func (s *Service) changeMembership(ctx context.Context, a Actor, orgRef, userID, action string, change func(tx *store.Tx, m store.Membership, org Organization) (map[string]any, error)) error {
	org, err := s.OrganizationByRef(ctx, a, orgRef)
	if err != nil {
		return err
	}
	if !a.IsOrgAdmin(org.ID) {
		return errForbidden("Only the organization's owners and admins manage its members.")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		m, err := tx.Membership(ctx, org.ID, userID)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound("Member")
		}
		if err != nil {
			return errInternal("read membership: %w", err)
		}
		// Only owners (and operators) touch an owner's membership.
		if m.Role == RoleOwner && !a.isOwnerOver(org.ID) {
			return errOwnerOnly
		}
		details, err := change(tx, m, org)
		if err != nil {
			return err
		}
		if m.Role == RoleOwner {
			n, err := tx.CountOwners(ctx, org.ID)
			if err != nil {
				return errInternal("count owners: %w", err)
			}
			if n == 0 {
				return errConflict("last_owner", "An organization needs at least one owner: make someone else owner first.")
			}
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: action, TargetType: "user", TargetID: userID, OrgID: org.ID, Details: details})
	})
}

// SetMemberRole changes a member's role. Only owners grant or take away the
// owner role, and the last owner cannot step down.
func (s *Service) SetMemberRole(ctx context.Context, a Actor, orgRef, userID, role string) error {
	if !validRole(role) {
		return errInvalid(map[string]string{"role": "Choose owner, admin or member."})
	}
	return s.changeMembership(ctx, a, orgRef, userID, "membership.role_changed", func(tx *store.Tx, m store.Membership, org Organization) (map[string]any, error) {
		if role == RoleOwner && !a.isOwnerOver(org.ID) {
			return nil, errForbidden("Only an owner can make someone an owner.")
		}
		if err := tx.UpdateMembershipRole(ctx, m.OrgID, m.UserID, role); err != nil {
			return nil, errInternal("update role: %w", err)
		}
		return map[string]any{"role": map[string]string{"from": m.Role, "to": role}}, nil
	})
}

// RemoveMember takes a user out of an organization: their seats there are
// freed at once. When it was their primary organization they move to
// another one they belong to, or, with none left, are disabled and signed
// out everywhere — a removed member keeps no access.
func (s *Service) RemoveMember(ctx context.Context, a Actor, orgRef, userID string) error {
	if a.Kind == ActorUser && a.ID == userID {
		return &Error{Kind: KindInvalid, Code: "self_remove", Message: "You cannot remove yourself; ask another admin."}
	}
	return s.changeMembership(ctx, a, orgRef, userID, "membership.removed", func(tx *store.Tx, m store.Membership, org Organization) (map[string]any, error) {
		if err := tx.DeleteMembership(ctx, org.ID, userID); err != nil {
			return nil, errInternal("delete membership: %w", err)
		}
		freed, err := tx.DeleteSeatsOfUserInOrg(ctx, org.ID, userID)
		if err != nil {
			return nil, errInternal("free seats: %w", err)
		}
		details := map[string]any{"role": m.Role, "seats_freed": freed}
		u, err := tx.User(ctx, userID)
		if err != nil {
			return nil, errInternal("read user: %w", err)
		}
		if u.PrimaryOrgID != org.ID {
			return details, nil
		}
		others, err := tx.MembershipsOfUser(ctx, userID)
		if err != nil {
			return nil, errInternal("read memberships: %w", err)
		}
		if len(others) > 0 {
			u.PrimaryOrgID = others[0].OrgID
		} else {
			u.Disabled = true
			details["disabled"] = true
		}
		u.SessionVersion++
		u.UpdatedAt = tx.Now
		if err := tx.UpdateUser(ctx, u); err != nil {
			return nil, errInternal("update user: %w", err)
		}
		if _, err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return nil, errInternal("end sessions: %w", err)
		}
		return details, nil
	})
}
