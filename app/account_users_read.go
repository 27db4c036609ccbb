package app

import (
	"context"
	"errors"
	"strings"

	"optare/store"
)

// UserQuery filters ListUsers; Organization is an id or slug.
type UserQuery struct {
	Organization string
	Cursor       string
	Limit        int
}

// UserPage is one page of users.
type UserPage struct {
	Users      []User `json:"users"`
	NextCursor Cursor `json:"next_cursor"`
}

// ListUsers lists users: everyone (or one organization's members) for
// operator admins, their own organization's members for its admins.
func (s *Service) ListUsers(ctx context.Context, a Actor, q UserQuery) (UserPage, error) {
	orgID := ""
	if q.Organization != "" {
		org, err := s.OrganizationByRef(ctx, a, q.Organization)
		if err != nil {
			return UserPage{}, err
		}
		orgID = org.ID
	}
	if !a.IsOperatorAdmin() {
		if !a.IsOrgAdmin(a.OrgID) {
			return UserPage{}, errForbidden("Only the organization's owners and admins list its members.")
		}
		orgID = a.OrgID
	}
	limit := clampLimit(q.Limit)
	page := UserPage{Users: []User{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Users(ctx, orgID, q.Cursor, limit+1)
		for i, r := range rows {
			if i == limit {
				page.NextCursor = Cursor(rows[i-1].ID)
				break
			}
			page.Users = append(page.Users, userFromRow(r))
		}
		return err
	})
	if err != nil {
		return UserPage{}, errInternal("list users: %w", err)
	}
	return page, nil
}

// UserByID reads a user: oneself, or a member of an organization the actor
// administers (anyone else is "not found").
func (s *Service) UserByID(ctx context.Context, a Actor, id string) (User, error) {
	var u User
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		row, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		u = userFromRow(row)
		if a.Kind == ActorUser && a.ID == u.ID {
			return nil
		}
		if a.IsOrgAdmin(u.OrganizationID) {
			return nil
		}
		if _, err := tx.Membership(ctx, a.OrgID, u.ID); err == nil && a.IsOrgAdmin(a.OrgID) {
			return nil
		}
		return store.ErrNotFound
	})
	if errors.Is(err, store.ErrNotFound) {
		return User{}, errNotFound("User")
	}
	if err != nil {
		return User{}, errInternal("read user: %w", err)
	}
	return u, nil
}

// Me is the user behind an access token, with what they can use now
// (GET /users/me).
type Me struct {
	Sub            string          `json:"sub"`
	ID             string          `json:"id"`
	Email          string          `json:"email"`
	EmailVerified  bool            `json:"email_verified"`
	Name           string          `json:"name"`
	OrganizationID string          `json:"organizationId"`
	Role           string          `json:"role"`
	Products       []ProductAccess `json:"products"`
}

// CurrentUser describes the acting user; other actors have no "me".
func (s *Service) CurrentUser(ctx context.Context, a Actor) (Me, error) {
	if a.Kind != ActorUser {
		return Me{}, errForbidden("Only a user's access token has a current user; API keys act for an organization.")
	}
	acc, err := s.AccountByID(ctx, a.ID)
	if err != nil {
		return Me{}, err
	}
	products, err := s.UserProducts(ctx, a.ID)
	if err != nil {
		return Me{}, err
	}
	return Me{Sub: acc.User.ID, ID: acc.User.ID, Email: acc.User.Email, EmailVerified: acc.User.EmailVerified,
		Name: strings.TrimSpace(acc.User.Name), OrganizationID: acc.Org.ID, Role: acc.Role, Products: products}, nil
}
