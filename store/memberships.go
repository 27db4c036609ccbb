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

// Membership finds a user's membership in one organization.
func (tx *Tx) Membership(ctx context.Context, orgID, userID string) (Membership, error) {
	var m Membership
	var created string
	err := tx.queryRow(ctx, "SELECT org_id, user_id, role, created_at FROM memberships WHERE org_id = ? AND user_id = ?", orgID, userID).
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
