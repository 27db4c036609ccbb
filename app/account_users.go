package app

import (
	"context"
	"errors"

	"optare/store"
)

// UserInput creates a user in an organization with a role.
type UserInput struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	OrgRef   string `json:"organization_id"` // id or slug
	Role     string `json:"role"`
	Password string `json:"password"`
}

// CreateUser adds a user as a member of an organization. Operator admins may
// add anyone anywhere; an organization's admins only to their organization,
// and only an owner may create another owner.
func (s *Service) CreateUser(ctx context.Context, a Actor, in UserInput) (User, error) {
	m, err := checkNewMember(in.Name, in.Email, in.OrgRef, in.Role, &in.Password)
	if err != nil {
		return User{}, err
	}
	// A refused caller costs no password hash: the organization and the
	// permission are checked first, and again in the write, where the
	// check holds. The hash comes before the write, which must not hold
	// the one writer for the hash's time.
	if err := s.db.Read(ctx, func(tx *store.Tx) error {
		_, err := memberOrg(ctx, tx, a, m)
		return err
	}); err != nil {
		return User{}, err
	}
	hash, err := hashPassword(s.password, in.Password)
	if err != nil {
		return User{}, errInternal("hash password: %w", err)
	}
	var user User
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		user, err = s.addMember(ctx, tx, a, &m, hash)
		return err
	})
	return user, err
}

// newMember is a validated new member of an organization.
type newMember struct {
	name, email, emailKey, role string
	// orgRef is the organization asked for (id or slug); addMember resolves
	// it into org.
	orgRef string
	org    Organization
}

// checkNewMember validates a new member (CreateUser, and InviteUser with no
// password); addMember then checks the organization and the actor.
func checkNewMember(name, email, orgRef, role string, password *string) (newMember, error) {
	f := fields{}
	m := newMember{name: checkName(f, "name", "a name", name, 100), role: role, orgRef: orgRef}
	m.email, m.emailKey = normalizeEmail(f, "email", email)
	if m.role == "" {
		m.role = RoleMember
	}
	if !validRole(m.role) {
		f.add("role", "Choose owner, admin or member.")
	}
	if password != nil {
		checkPassword(f, "password", *password)
	}
	if orgRef == "" {
		f.add("organization_id", "Choose an organization.")
	}
	return m, f.err()
}

// addMember inserts a checked new member (see insertUser) after resolving
// their organization into m.org in the same transaction (memberOrg), so a
// concurrent change to it cannot slip in between.
func (s *Service) addMember(ctx context.Context, tx *store.Tx, a Actor, m *newMember, hash string) (User, error) {
	org, err := memberOrg(ctx, tx, a, *m)
	if err != nil {
		return User{}, err
	}
	m.org = org
	return s.insertUser(ctx, tx, a, *m, hash)
}

// memberOrg resolves m's organization in tx and checks that a may add m
// to it: an organization's admins may, and only an owner adds another
// owner.
func memberOrg(ctx context.Context, tx *store.Tx, a Actor, m newMember) (Organization, error) {
	org, err := orgByRef(ctx, tx, a, m.orgRef)
	if err != nil {
		return Organization{}, err
	}
	if !a.IsOrgAdmin(org.ID) || (m.role == RoleOwner && !a.isOwnerOver(org.ID)) {
		return Organization{}, errForbidden("")
	}
	return org, nil
}

func (s *Service) insertUser(ctx context.Context, tx *store.Tx, a Actor, m newMember, hash string) (User, error) {
	email, name, orgID, role := m.email, m.name, m.org.ID, m.role
	row := store.User{ID: newID(prefixUser), Email: email, EmailKey: m.emailKey, Name: name, PasswordHash: hash,
		SessionVersion: 1, PrimaryOrgID: orgID, CreatedAt: tx.Now, UpdatedAt: tx.Now}
	if err := tx.InsertUser(ctx, row); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return User{}, &Error{Kind: KindConflict, Code: "email_taken", Message: "A user with this email already exists.",
				Fields: map[string]string{"email": "This email is already registered."}}
		}
		if errors.Is(err, store.ErrReference) {
			return User{}, errNotFound("Organization")
		}
		return User{}, errInternal("insert user: %w", err)
	}
	if err := tx.InsertMembership(ctx, store.Membership{OrgID: orgID, UserID: row.ID, Role: role, CreatedAt: tx.Now}); err != nil {
		return User{}, errInternal("insert membership: %w", err)
	}
	err := s.audit(ctx, tx, a, AuditRecord{Action: "user.created", TargetType: "user", TargetID: row.ID, OrgID: orgID,
		Details: map[string]any{"email": email, "name": name, "role": role}})
	return userFromRow(row), err
}

// SetPassword replaces a user's password and bumps their session version,
// so every session and token issued before stops working. Users may change
// their own password; only an operator owner (or the CLI) sets another's. It is UpdateUser with only
// a password, so every door writes the same audit entry.
func (s *Service) SetPassword(ctx context.Context, a Actor, userID, password string) error {
	_, err := s.UpdateUser(ctx, a, userID, UserPatch{Password: &password})
	return err
}

// ChangeOwnPassword is a signed-in user's password change: it needs the
// current password, and like SetPassword ends every session and token issued
// before (the portal then opens a fresh session for the browser that asked).
func (s *Service) ChangeOwnPassword(ctx context.Context, a Actor, current, password, confirm string) error {
	if a.Kind != ActorUser {
		return errForbidden("")
	}
	f := fields{}
	if current == "" {
		f.add("current_password", "Enter your current password.")
	}
	checkPassword(f, "password", password)
	if confirm != password {
		f.add("password_confirm", "The passwords do not match.")
	}
	if err := f.err(); err != nil {
		return err
	}
	var u store.User
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		u, err = tx.User(ctx, a.ID)
		return err
	})
	if err != nil {
		return errInternal("read user: %w", err)
	}
	ok, err := verifyPassword(u.PasswordHash, current)
	if err != nil {
		return errInternal("verify password: %w", err)
	}
	if !ok {
		s.auditFailure(ctx, a, AuditRecord{Action: "user.password_changed", TargetType: "user", TargetID: a.ID, OrgID: a.OrgID,
			Details: map[string]any{"reason": "wrong_current_password"}})
		return errInvalid(map[string]string{"current_password": "That is not your current password."})
	}
	if err := s.SetPassword(ctx, a, a.ID, password); err != nil {
		return err
	}
	s.notify(ctx, a.ID, "your password was changed")
	return nil
}

// SignOutEverywhere bumps a user's session version: every session, refresh
// token and access token issued before stops working.
func (s *Service) SignOutEverywhere(ctx context.Context, a Actor, userID string) error {
	return s.updateUser(ctx, a, userID, "user.signed_out_everywhere", nil, false, func(u *store.User) { u.SessionVersion++ })
}

// SetUserDisabled disables or re-enables a user (UpdateUser with only
// Disabled). A disabled user cannot sign in and their sessions and tokens
// stop working.
func (s *Service) SetUserDisabled(ctx context.Context, a Actor, userID string, disabled bool) error {
	_, err := s.UpdateUser(ctx, a, userID, UserPatch{Disabled: &disabled})
	return err
}

// updateUser is the shared shape of the user changes above: load, check the
// actor may manage the user, change, write, audit — in one transaction.
func (s *Service) updateUser(ctx context.Context, a Actor, userID, action string, details map[string]any, setsPassword bool, change func(*store.User)) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, userID)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound("User")
		}
		if err != nil {
			return errInternal("read user: %w", err)
		}
		if err := checkUserChange(ctx, tx, a, u, setsPassword); err != nil {
			return err
		}
		version := u.SessionVersion
		change(&u)
		u.UpdatedAt = tx.Now
		if err := tx.UpdateUser(ctx, u); err != nil {
			return errInternal("update user: %w", err)
		}
		if u.SessionVersion != version {
			// A new session version ends every browser session too.
			if _, err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
				return errInternal("end sessions: %w", err)
			}
		}
		if action == "user.disabled" {
			if err := s.emit(ctx, tx, u.PrimaryOrgID, "user.disabled", userFromRow(u)); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: action, TargetType: "user", TargetID: u.ID, OrgID: u.PrimaryOrgID, Details: details})
	})
}

// RenameSelf changes the signed-in user's display name (UpdateUser on
// oneself).
func (s *Service) RenameSelf(ctx context.Context, a Actor, name string) (User, error) {
	if a.Kind != ActorUser {
		return User{}, errForbidden("")
	}
	return s.UpdateUser(ctx, a, a.ID, UserPatch{Name: &name})
}

// UserPatch changes a user; nil fields stay as they are.
type UserPatch struct {
	Name     *string `json:"name,omitempty"`
	Disabled *bool   `json:"disabled,omitempty"`
	Password *string `json:"password,omitempty"`
}

// action names a patch's audit entry: a patch that only switches the user on
// or off, or only sets the password, says so, whichever door sent it.
func (p UserPatch) action() string {
	switch {
	case p.Disabled != nil && p.Name == nil && p.Password == nil:
		if *p.Disabled {
			return "user.disabled"
		}
		return "user.enabled"
	case p.Password != nil && p.Name == nil && p.Disabled == nil:
		return "user.password_changed"
	}
	return "user.updated"
}

// UpdateUser renames, disables/enables or sets the password of a user in
// one transaction. Disabling or a new password ends the user's sessions and
// tokens.
func (s *Service) UpdateUser(ctx context.Context, a Actor, id string, p UserPatch) (User, error) {
	f := fields{}
	var name, hash string
	if p.Name != nil {
		name = checkName(f, "name", "a name", *p.Name, 100)
	}
	if p.Password != nil {
		checkPassword(f, "password", *p.Password)
	}
	if err := f.err(); err != nil {
		return User{}, err
	}
	if p.Disabled != nil && *p.Disabled && a.Kind == ActorUser && a.ID == id {
		return User{}, &Error{Kind: KindInvalid, Code: "self_disable", Message: "You cannot disable your own account.",
			Fields: map[string]string{"disabled": "You cannot disable your own account."}}
	}
	if p.Password != nil {
		h, err := hashPassword(s.password, *p.Password)
		if err != nil {
			return User{}, errInternal("hash password: %w", err)
		}
		hash = h
	}
	details := map[string]any{}
	err := s.updateUser(ctx, a, id, p.action(), details, p.Password != nil, func(u *store.User) {
		if p.Name != nil && name != u.Name {
			details["name"] = map[string]any{"from": u.Name, "to": name}
			u.Name = name
		}
		if p.Disabled != nil && *p.Disabled != u.Disabled {
			details["disabled"] = map[string]any{"from": u.Disabled, "to": *p.Disabled}
			u.Disabled = *p.Disabled
			if u.Disabled {
				u.SessionVersion++
			}
		}
		if p.Password != nil {
			details["password"] = "changed"
			u.PasswordHash = hash
			u.SessionVersion++
		}
	})
	if err != nil {
		return User{}, err
	}
	return s.UserByID(ctx, a, id)
}
