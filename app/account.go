package app

import (
	"context"
	"errors"
	"time"

	"optare/store"
)

// Roles within an organization.
const (
	RoleOwner  = "owner"
	RoleAdmin  = "admin"
	RoleMember = "member"
)

func validRole(r string) bool { return r == RoleOwner || r == RoleAdmin || r == RoleMember }

// Organization is a tenant: the operator organization or a customer.
type Organization struct {
	ID         string    `json:"id"`
	Slug       string    `json:"slug"`
	Name       string    `json:"name"`
	IsOperator bool      `json:"is_operator"`
	CreatedAt  time.Time `json:"createdAt"`
	// RequireMFA says every member must sign in with a second factor.
	RequireMFA bool `json:"require_mfa"`
	// RateLimitPerHour is the operator's override (0: the default).
	RateLimitPerHour int `json:"rate_limit_per_hour"`
}

func orgFromRow(o store.Organization) Organization {
	return Organization{ID: o.ID, Slug: o.Slug, Name: o.Name, IsOperator: o.IsOperator, CreatedAt: o.CreatedAt,
		RequireMFA: o.RequireMFA, RateLimitPerHour: o.RateLimitPerHour}
}

// User is a person who can sign in.
type User struct {
	ID             string    `json:"id"`
	Email          string    `json:"email"`
	EmailVerified  bool      `json:"email_verified"`
	Name           string    `json:"name"`
	Disabled       bool      `json:"disabled"`
	OrganizationID string    `json:"organizationId"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
	// SessionVersion is bumped by a password change or "sign out
	// everywhere"; sessions and tokens carrying an older one stop working.
	SessionVersion int `json:"-"`
}

func userFromRow(u store.User) User {
	return User{ID: u.ID, Email: u.Email, EmailVerified: u.EmailVerified, Name: u.Name, Disabled: u.Disabled,
		OrganizationID: u.PrimaryOrgID, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, SessionVersion: u.SessionVersion}
}

// Account is a user as seen when they act: the user, their primary
// organization and their role in it.
type Account struct {
	User     User
	Org      Organization
	Role     string
	Operator bool // the primary organization is the operator organization
	// MFARequired is the organization's policy; HasSecondFactor whether
	// the user has one. A user who must and has none is taken through
	// set-up before anything else.
	MFARequired     bool
	HasSecondFactor bool
}

// NeedsMFASetup reports whether the account must set up a second factor
// before it may do anything else.
func (acc Account) NeedsMFASetup() bool { return acc.MFARequired && !acc.HasSecondFactor }

// Actor is the account acting from ip.
func (acc Account) Actor(ip string) Actor {
	return Actor{Kind: ActorUser, ID: acc.User.ID, Label: acc.User.Email, IP: ip, OrgID: acc.Org.ID,
		Role: acc.Role, Operator: acc.Operator}
}

// IsOperatorAdmin reports whether the account may use the admin portal.
func (acc Account) IsOperatorAdmin() bool { return acc.Actor("").IsOperatorAdmin() }

// loadAccount reads a user with their primary organization and role.
func loadAccount(ctx context.Context, tx *store.Tx, userID string) (Account, error) {
	u, err := tx.User(ctx, userID)
	if err != nil {
		return Account{}, err
	}
	o, err := tx.Organization(ctx, u.PrimaryOrgID)
	if err != nil {
		return Account{}, err
	}
	m, err := tx.Membership(ctx, o.ID, u.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Account{}, err
	}
	acc := Account{User: userFromRow(u), Org: orgFromRow(o), Role: m.Role, Operator: o.IsOperator}
	acc.MFARequired = o.RequireMFA
	if acc.HasSecondFactor, err = tx.HasSecondFactor(ctx, u.ID); err != nil {
		return Account{}, err
	}
	return acc, nil
}

// AccountByID loads a user's account for a door that already authenticated
// them (a session or a token). Disabled users are refused.
func (s *Service) AccountByID(ctx context.Context, userID string) (Account, error) {
	var acc Account
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		acc, err = loadAccount(ctx, tx, userID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Account{}, &Error{Kind: KindUnauthenticated, Message: "Your session has ended. Please sign in again."}
	}
	if err != nil {
		return Account{}, errInternal("load account: %w", err)
	}
	if acc.User.Disabled {
		return Account{}, &Error{Kind: KindUnauthenticated, Code: "user_disabled", Message: "This account is disabled."}
	}
	return acc, nil
}
