package store

import (
	"context"
	"time"
)

// User is a users row. PasswordHash is the encoded argon2id hash.
type User struct {
	ID             string
	Email          string
	EmailKey       string
	Name           string
	PasswordHash   string
	EmailVerified  bool
	Disabled       bool
	SessionVersion int
	PrimaryOrgID   string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

const userColumns = "id, email, email_key, name, password_hash, email_verified, disabled, session_version, primary_org_id, created_at, updated_at"

// userWidth is the number of userColumns.
const userWidth = 11

func scanUser(row scanner) (User, error) {
	var u User
	var created, updated string
	err := row.Scan(&u.ID, &u.Email, &u.EmailKey, &u.Name, &u.PasswordHash, &u.EmailVerified,
		&u.Disabled, &u.SessionVersion, &u.PrimaryOrgID, &created, &updated)
	if err != nil {
		return u, mapErr(err)
	}
	u.CreatedAt, u.UpdatedAt = parseTime(created), parseTime(updated)
	return u, nil
}

// InsertUser adds a user; a taken email is ErrConflict.
func (tx *Tx) InsertUser(ctx context.Context, u User) error {
	_, err := tx.exec(ctx, "INSERT INTO users ("+userColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		u.ID, u.Email, u.EmailKey, u.Name, u.PasswordHash, u.EmailVerified, u.Disabled,
		u.SessionVersion, u.PrimaryOrgID, formatTime(u.CreatedAt), formatTime(u.UpdatedAt))
	return err
}

var userByIDQuery = hot("SELECT " + userColumns + " FROM users WHERE id = ?")

// User finds a user by id.
func (tx *Tx) User(ctx context.Context, id string) (User, error) {
	return scanUser(tx.queryRow(ctx, userByIDQuery, id))
}

// UserByEmailKey finds a user by lower-cased email.
func (tx *Tx) UserByEmailKey(ctx context.Context, key string) (User, error) {
	return scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email_key = ?", key))
}

// UpdateUser writes back the mutable columns of a user.
func (tx *Tx) UpdateUser(ctx context.Context, u User) error {
	return tx.execOne(ctx, `UPDATE users SET email = ?, email_key = ?, name = ?, password_hash = ?,
		email_verified = ?, disabled = ?, session_version = ?, primary_org_id = ?, updated_at = ? WHERE id = ?`,
		u.Email, u.EmailKey, u.Name, u.PasswordHash, u.EmailVerified, u.Disabled, u.SessionVersion,
		u.PrimaryOrgID, formatTime(u.UpdatedAt), u.ID)
}

// Users lists users ordered by id after the cursor; orgID filters by
// membership when not empty.
func (tx *Tx) Users(ctx context.Context, orgID, after string, limit int) ([]User, error) {
	q := "SELECT " + userColumns + " FROM users WHERE id > ? ORDER BY id LIMIT ?"
	args := []any{after, limit}
	if orgID != "" {
		q = "SELECT " + userColumns + " FROM users WHERE id > ? AND id IN (SELECT user_id FROM memberships WHERE org_id = ?) ORDER BY id LIMIT ?"
		args = []any{after, orgID, limit}
	}
	rows, err := tx.query(ctx, q, args...)
	return collect(rows, err, scanUser)
}

// CountUsers counts every user.
func (tx *Tx) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}
