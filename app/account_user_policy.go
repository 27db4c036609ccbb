package app

import (
	"context"
	"errors"

	"optare/store"
)

// Who may change whom. The rule: only an owner changes another
// owner (role, password, disabled, name, removal, reset link); nobody sets
// another user's password directly except an operator owner — everyone else
// hands out a reset link; an API key acts with its organization's admin
// rights, never an owner's. Every door reaches these checks through the one
// domain method of its use case.

// errOwnerOnly refuses a change to an owner by someone who is not one.
var errOwnerOnly = errForbidden("Only an owner can change an owner.")

// errPasswordOfOther refuses setting someone else's password directly.
var errPasswordOfOther = errForbidden("Only an operator owner sets another user's password; create a password reset link instead.")

// isOwnerOver reports whether the actor holds owner rights over organization
// orgID: the local CLI and the system, an owner of orgID, or an owner of the
// operator organization. API keys never do.
func (a Actor) isOwnerOver(orgID string) bool {
	switch a.Kind {
	case ActorCLI, ActorSystem:
		return true
	case ActorUser:
		return a.Role == RoleOwner && (a.Operator || (orgID != "" && a.OrgID == orgID))
	}
	return false
}

// maySetPasswordOf reports whether the actor may set userID's password
// directly: oneself, the local CLI, or an operator owner.
func (a Actor) maySetPasswordOf(userID string) bool {
	switch a.Kind {
	case ActorCLI, ActorSystem:
		return true
	case ActorUser:
		return a.ID == userID || (a.Operator && a.Role == RoleOwner)
	}
	return false
}

// checkUserChange applies the rule to a change of user u (read in tx) by a:
// a user may change themselves; others need admin rights over u's
// organization (else u is "not found"), owner rights when u is an owner
// there, and may set u's password only when maySetPasswordOf says so.
func checkUserChange(ctx context.Context, tx *store.Tx, a Actor, u store.User, setsPassword bool) error {
	if a.Kind == ActorUser && a.ID == u.ID {
		return nil
	}
	if !a.IsOrgAdmin(u.PrimaryOrgID) {
		return errNotFound("User")
	}
	owner, err := isOwner(ctx, tx, u.PrimaryOrgID, u.ID)
	if err != nil {
		return err
	}
	if owner && !a.isOwnerOver(u.PrimaryOrgID) {
		return errOwnerOnly
	}
	if setsPassword && !a.maySetPasswordOf(u.ID) {
		return errPasswordOfOther
	}
	return nil
}

// isOwner reports whether userID is an owner of orgID.
func isOwner(ctx context.Context, tx *store.Tx, orgID, userID string) (bool, error) {
	m, err := tx.Membership(ctx, orgID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, errInternal("read membership: %w", err)
	}
	return m.Role == RoleOwner, nil
}
