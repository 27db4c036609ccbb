package store

import (
	"context"
	"database/sql"
	"time"
)

// Code is an oauth_codes row: an authorization code by its SHA-256.
type Code struct {
	Hash                string
	GrantID             string
	ClientID            string
	UserID              string
	RedirectURI         string
	Scopes              string
	Nonce               string
	CodeChallenge       string
	CodeChallengeMethod string
	SessionID           string
	AuthTime            time.Time
	SessionVersion      int
	CreatedAt           time.Time
	ExpiresAt           time.Time
	UsedAt              time.Time // zero until redeemed
}

const codeColumns = `code_hash, grant_id, client_id, user_id, redirect_uri, scopes, nonce, code_challenge,
	code_challenge_method, session_id, auth_time, session_version, created_at, expires_at, used_at`

// InsertCode stores a new authorization code.
func (tx *Tx) InsertCode(ctx context.Context, c Code) error {
	_, err := tx.exec(ctx, "INSERT INTO oauth_codes ("+codeColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		c.Hash, c.GrantID, c.ClientID, c.UserID, c.RedirectURI, c.Scopes, c.Nonce, c.CodeChallenge,
		c.CodeChallengeMethod, c.SessionID, formatTime(c.AuthTime), c.SessionVersion, formatTime(c.CreatedAt),
		formatTime(c.ExpiresAt), nullTime(c.UsedAt))
	return err
}

// Code finds a code by its hash.
func (tx *Tx) Code(ctx context.Context, hash string) (Code, error) {
	var c Code
	var authTime, created, expires string
	var used sql.NullString
	err := tx.queryRow(ctx, "SELECT "+codeColumns+" FROM oauth_codes WHERE code_hash = ?", hash).Scan(
		&c.Hash, &c.GrantID, &c.ClientID, &c.UserID, &c.RedirectURI, &c.Scopes, &c.Nonce, &c.CodeChallenge,
		&c.CodeChallengeMethod, &c.SessionID, &authTime, &c.SessionVersion, &created, &expires, &used)
	if err != nil {
		return c, mapErr(err)
	}
	c.AuthTime, c.CreatedAt, c.ExpiresAt = parseTime(authTime), parseTime(created), parseTime(expires)
	c.UsedAt = parseNullTime(used)
	return c, nil
}

// UseCode marks an unused code as used at tx.Now. ErrNotFound means the
// code was already used (or never existed): the caller must treat it as a
// replay.
func (tx *Tx) UseCode(ctx context.Context, hash string) error {
	return tx.execOne(ctx, "UPDATE oauth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL", formatTime(tx.Now), hash)
}

// DeleteExpiredCodes removes up to limit codes past their expiry.
func (tx *Tx) DeleteExpiredCodes(ctx context.Context, limit int) (int64, error) {
	return tx.deleteBatch(ctx, "oauth_codes", "code_hash", limit)
}

// deleteBatch deletes up to limit rows of table whose expires_at has passed,
// by primary key, so each sweep step holds the writer only briefly.
func (tx *Tx) deleteBatch(ctx context.Context, table, key string, limit int) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM "+table+" WHERE "+key+" IN (SELECT "+key+" FROM "+table+
		" WHERE expires_at <= ? LIMIT ?)", formatTime(tx.Now), limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
