package store

import (
	"context"
	"time"
)

// Membership is a memberships row: a user's role in an organization.
type Membership struct {
	OrgID     string
	UserID    string
	Role      string
	CreatedAt time.Time
}

// InsertMembership adds a user to an organization; an existing membership is
// ErrConflict.
func (tx *Tx) InsertMembership(ctx context.Context, m Membership) error {
	_, err := tx.exec(ctx, "INSERT INTO memberships (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
		m.OrgID, m.UserID, m.Role, formatTime(m.CreatedAt))
	return err
}

// UpdateMembershipRole changes a member's role.
func (tx *Tx) UpdateMembershipRole(ctx context.Context, orgID, userID, role string) error {
	return tx.execOne(ctx, "UPDATE memberships SET role = ? WHERE org_id = ? AND user_id = ?", role, orgID, userID)
}

// DeleteMembership removes a user from an organization.
func (tx *Tx) DeleteMembership(ctx context.Context, orgID, userID string) error {
	return tx.execOne(ctx, "DELETE FROM memberships WHERE org_id = ? AND user_id = ?", orgID, userID)
}

var membershipQuery = hot("SELECT org_id, user_id, role, created_at FROM memberships WHERE org_id = ? AND user_id = ?")

// Membership finds a user's membership in one organization.
func (tx *Tx) Membership(ctx context.Context, orgID, userID string) (Membership, error) {
	var m Membership
	var created string
	err := tx.queryRow(ctx, membershipQuery, orgID, userID).
		Scan(&m.OrgID, &m.UserID, &m.Role, &created)
	if err != nil {
		return m, mapErr(err)
	}
	m.CreatedAt = parseTime(created)
	return m, nil
}

// MembershipsOfUser lists a user's memberships, oldest first.
func (tx *Tx) MembershipsOfUser(ctx context.Context, userID string) ([]Membership, error) {
	return tx.memberships(ctx, "SELECT org_id, user_id, role, created_at FROM memberships WHERE user_id = ? ORDER BY created_at, org_id", userID)
}

// MembershipsOfOrg lists an organization's members, oldest first.
func (tx *Tx) MembershipsOfOrg(ctx context.Context, orgID string) ([]Membership, error) {
	return tx.memberships(ctx, "SELECT org_id, user_id, role, created_at FROM memberships WHERE org_id = ? ORDER BY created_at, user_id", orgID)
}

func (tx *Tx) memberships(ctx context.Context, q string, arg string) ([]Membership, error) {
	rows, err := tx.query(ctx, q, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Membership
	for rows.Next() {
		var m Membership
		var created string
		if err := rows.Scan(&m.OrgID, &m.UserID, &m.Role, &created); err != nil {
			return nil, err
		}
		m.CreatedAt = parseTime(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Member is a membership with its user.
type Member struct {
	User     User
	Role     string
	JoinedAt time.Time
}

// Members lists an organization's members with their users, by name.
func (tx *Tx) Members(ctx context.Context, orgID string) ([]Member, error) {
	rows, err := tx.query(ctx, `SELECT m.role, m.created_at, u.id, u.email, u.email_key, u.name, u.password_hash, u.email_verified,
		u.disabled, u.session_version, u.primary_org_id, u.created_at, u.updated_at
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY u.name, u.id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		var joined, created, updated string
		u := &m.User
		if err := rows.Scan(&m.Role, &joined, &u.ID, &u.Email, &u.EmailKey, &u.Name, &u.PasswordHash, &u.EmailVerified,
			&u.Disabled, &u.SessionVersion, &u.PrimaryOrgID, &created, &updated); err != nil {
			return nil, err
		}
		m.JoinedAt, u.CreatedAt, u.UpdatedAt = parseTime(joined), parseTime(created), parseTime(updated)
		out = append(out, m)
	}
	return out, rows.Err()
}

// CountOwners counts an organization's owners.
func (tx *Tx) CountOwners(ctx context.Context, orgID string) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'owner'", orgID).Scan(&n)
	return n, err
}
