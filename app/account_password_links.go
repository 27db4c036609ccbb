package app

import (
	"context"
	"errors"
	"time"

	"optare/store"
)

// Password links: admins may have no mail server, so an invitation or a
// password reset is a one-time link the admin hands over.
const (
	InviteLinkLifetime = 7 * 24 * time.Hour
	ResetLinkLifetime  = 24 * time.Hour
	purposeInvite      = "invite"
	purposeReset       = "reset"
)

// PasswordLink is a one-time link's token as created; the door turns it into
// a URL (/password/{token}). It is shown once and stored hashed.
type PasswordLink struct {
	Token     string
	Purpose   string
	ExpiresAt time.Time
	// Emailed says the link was also sent to the user by email.
	Emailed bool
}

// InviteInput invites a user into an organization with a role; they choose
// their password through the invitation link.
type InviteInput struct {
	Email  string
	Name   string
	OrgRef string
	Role   string
}

// InviteUser adds a user without a password and returns the invitation link
// that lets them set one. Same permissions as CreateUser.
func (s *Service) InviteUser(ctx context.Context, a Actor, in InviteInput) (User, PasswordLink, error) {
	m, err := checkNewMember(in.Name, in.Email, in.OrgRef, in.Role, nil)
	if err != nil {
		return User{}, PasswordLink{}, err
	}
	var user User
	var link PasswordLink
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		// An empty hash matches no password: the user cannot sign in
		// until they use the link.
		if user, err = s.addMember(ctx, tx, a, &m, ""); err != nil {
			return err
		}
		link, err = s.insertPasswordLink(ctx, tx, a, user.ID, m.org.ID, purposeInvite, InviteLinkLifetime)
		return err
	})
	if err == nil && s.mailer != nil {
		s.sendMail(ctx, "invite", user.Email, map[string]string{"Name": user.Name, "Actor": firstNonEmptyString(a.Label, "An administrator"),
			"OrgName": m.org.Name, "URL": s.PasswordLinkURL(link.Token)})
		link.Emailed = true
	}
	return user, link, err
}

func firstNonEmptyString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// PasswordResetLink creates a one-time link that lets a user choose a new
// password. Org admins for their members, only owners for owners; users
// cannot reset others.
func (s *Service) PasswordResetLink(ctx context.Context, a Actor, userID string) (PasswordLink, error) {
	var link PasswordLink
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, userID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !a.IsOrgAdmin(u.PrimaryOrgID)) {
			return errNotFound("User")
		}
		if err != nil {
			return errInternal("read user: %w", err)
		}
		// A reset link for an owner is as good as their password.
		if err := checkUserChange(ctx, tx, a, u, false); err != nil {
			return err
		}
		link, err = s.insertPasswordLink(ctx, tx, a, u.ID, u.PrimaryOrgID, purposeReset, ResetLinkLifetime)
		return err
	})
	return link, err
}

func (s *Service) insertPasswordLink(ctx context.Context, tx *store.Tx, a Actor, userID, orgID, purpose string, life time.Duration) (PasswordLink, error) {
	link := PasswordLink{Token: newSecret(""), Purpose: purpose, ExpiresAt: tx.Now.Add(life)}
	err := tx.InsertPasswordLink(ctx, store.PasswordLink{TokenHash: hashSecret(link.Token), UserID: userID, Purpose: purpose, CreatedAt: tx.Now, ExpiresAt: link.ExpiresAt})
	if err != nil {
		return PasswordLink{}, errInternal("insert password link: %w", err)
	}
	err = s.audit(ctx, tx, a, AuditRecord{Action: "user.password_link_created", TargetType: "user", TargetID: userID, OrgID: orgID,
		Details: map[string]any{"purpose": purpose, "expires_at": link.ExpiresAt}})
	return link, err
}

var errBadLink = &Error{Kind: KindNotFound, Code: "invalid_link", Message: "This link is not valid any more. Ask your administrator for a new one."}

// CheckPasswordLink tells the password page whose link this is (for the
// greeting) without using it up.
func (s *Service) CheckPasswordLink(ctx context.Context, token string) (User, string, error) {
	var u store.User
	var l store.PasswordLink
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if l, err = tx.PasswordLink(ctx, hashSecret(token)); err != nil {
			return err
		}
		u, err = tx.User(ctx, l.UserID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return User{}, "", errBadLink
	}
	if err != nil {
		return User{}, "", errInternal("check password link: %w", err)
	}
	if u.Disabled {
		return User{}, "", errBadLink
	}
	return userFromRow(u), l.Purpose, nil
}

// UsePasswordLink sets the password of the link's user, uses the link up
// (with every other link of that user), ends the user's older sessions and
// tokens, and returns the account so the door can sign them in.
func (s *Service) UsePasswordLink(ctx context.Context, ip, token, password, confirm string) (Account, error) {
	f := fields{}
	checkPassword(f, "password", password)
	if confirm != password {
		f.add("password_confirm", "The passwords do not match.")
	}
	if err := f.err(); err != nil {
		return Account{}, err
	}
	hash, err := hashPassword(s.password, password)
	if err != nil {
		return Account{}, errInternal("hash password: %w", err)
	}
	var acc Account
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		l, err := tx.PasswordLink(ctx, hashSecret(token))
		if errors.Is(err, store.ErrNotFound) {
			return errBadLink
		}
		if err != nil {
			return errInternal("read password link: %w", err)
		}
		u, err := tx.User(ctx, l.UserID)
		if err != nil {
			return errInternal("read user: %w", err)
		}
		if u.Disabled {
			return errBadLink
		}
		u.PasswordHash, u.UpdatedAt = hash, tx.Now
		u.SessionVersion++
		if l.Purpose == purposeInvite {
			u.EmailVerified = true // they received the link meant for that address
		}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return errInternal("update user: %w", err)
		}
		if err := tx.DeletePasswordLinks(ctx, u.ID); err != nil {
			return errInternal("delete password links: %w", err)
		}
		if _, err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return errInternal("end sessions: %w", err)
		}
		if acc, err = loadAccount(ctx, tx, u.ID); err != nil {
			return errInternal("load account: %w", err)
		}
		return s.audit(ctx, tx, acc.Actor(ip), AuditRecord{Action: "user.password_changed", TargetType: "user", TargetID: u.ID,
			OrgID: u.PrimaryOrgID, Details: map[string]any{"via": l.Purpose + "_link"}})
	})
	return acc, err
}
