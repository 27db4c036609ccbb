package store

import (
	"context"
	"database/sql"
	"time"
)

// Grant is an oauth_grants row: one authorization and its token family.
type Grant struct {
	ID            string
	ClientID      string
	UserID        string
	Scopes        string
	SessionID     string
	AuthTime      time.Time
	CreatedAt     time.Time
	ExpiresAt     time.Time
	RevokedAt     time.Time // zero while live
	RevokedReason string
	// DPoPJKT binds the family's refresh tokens to a DPoP key (its RFC
	// 7638 thumbprint); '' when they are not bound.
	DPoPJKT string
}

// RefreshToken is an oauth_refresh_tokens row, by the token's SHA-256.
type RefreshToken struct {
	Hash           string
	GrantID        string
	Scopes         string
	SessionVersion int
	CreatedAt      time.Time
	ExpiresAt      time.Time
	UsedAt         time.Time // set when rotated
}

// InsertGrant adds a grant; a grant id already used is ErrConflict.
func (tx *Tx) InsertGrant(ctx context.Context, g Grant) error {
	_, err := tx.exec(ctx, `INSERT INTO oauth_grants (id, client_id, user_id, scopes, session_id, auth_time,
		created_at, expires_at, revoked_at, revoked_reason, dpop_jkt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.ID, g.ClientID, g.UserID, g.Scopes, g.SessionID, formatTime(g.AuthTime), formatTime(g.CreatedAt),
		formatTime(g.ExpiresAt), nullTime(g.RevokedAt), g.RevokedReason, g.DPoPJKT)
	return err
}

// Grant finds a grant by id.
func (tx *Tx) Grant(ctx context.Context, id string) (Grant, error) {
	var g Grant
	var authTime, created, expires string
	var revoked sql.NullString
	err := tx.queryRow(ctx, `SELECT id, client_id, user_id, scopes, session_id, auth_time, created_at, expires_at,
		revoked_at, revoked_reason, dpop_jkt FROM oauth_grants WHERE id = ?`, id).Scan(&g.ID, &g.ClientID, &g.UserID,
		&g.Scopes, &g.SessionID, &authTime, &created, &expires, &revoked, &g.RevokedReason, &g.DPoPJKT)
	if err != nil {
		return g, mapErr(err)
	}
	g.AuthTime, g.CreatedAt, g.ExpiresAt = parseTime(authTime), parseTime(created), parseTime(expires)
	g.RevokedAt = parseNullTime(revoked)
	return g, nil
}

// ExtendGrant moves a grant's expiry to at least until.
func (tx *Tx) ExtendGrant(ctx context.Context, id string, until time.Time) error {
	return tx.execOne(ctx, extendGrantQuery, formatTime(until), id)
}

var extendGrantQuery = hot("UPDATE oauth_grants SET expires_at = CASE WHEN expires_at < ?1 THEN ?1 ELSE expires_at END WHERE id = ?2")

// RevokeGrant marks a live grant revoked at tx.Now; it reports whether the
// grant was live (an unknown or already revoked grant changes nothing).
func (tx *Tx) RevokeGrant(ctx context.Context, id, reason string) (bool, error) {
	res, err := tx.exec(ctx, "UPDATE oauth_grants SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL",
		formatTime(tx.Now), reason, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// RevokeGrantsOf revokes every live grant of a user to a client and returns
// how many there were.
func (tx *Tx) RevokeGrantsOf(ctx context.Context, userID, clientID, reason string) (int64, error) {
	res, err := tx.exec(ctx, `UPDATE oauth_grants SET revoked_at = ?, revoked_reason = ?
		WHERE user_id = ? AND client_id = ? AND revoked_at IS NULL`, formatTime(tx.Now), reason, userID, clientID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// InsertRefreshToken stores a refresh token.
func (tx *Tx) InsertRefreshToken(ctx context.Context, t RefreshToken) error {
	_, err := tx.exec(ctx, insertRefreshTokenQuery, t.Hash, t.GrantID, t.Scopes,
		t.SessionVersion, formatTime(t.CreatedAt), formatTime(t.ExpiresAt), nullTime(t.UsedAt))
	return err
}

var insertRefreshTokenQuery = hot(`INSERT INTO oauth_refresh_tokens (token_hash, grant_id, scopes, session_version,
		created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)

// RefreshFamily is a refresh token with its grant and the grant's sign-in
// methods (amr, space-separated; "" when none was recorded): what the
// refresh grant, introspection and revocation read of a refresh token.
type RefreshFamily struct {
	Token RefreshToken
	Grant Grant
	AMR   string
}

var refreshFamilyQuery = hot(`SELECT r.token_hash, r.grant_id, r.scopes, r.session_version, r.created_at,
		r.expires_at, r.used_at, g.client_id, g.user_id, g.scopes, g.session_id, g.auth_time, g.created_at,
		g.expires_at, g.revoked_at, g.revoked_reason, g.dpop_jkt,
		COALESCE((SELECT m.amr FROM grant_auth_methods m WHERE m.grant_id = g.id), '')
		FROM oauth_refresh_tokens r JOIN oauth_grants g ON g.id = r.grant_id WHERE r.token_hash = ?`)

// RefreshFamily finds a refresh token by its hash with its grant, in one
// statement. A token whose grant is gone is ErrNotFound.
func (tx *Tx) RefreshFamily(ctx context.Context, hash string) (RefreshFamily, error) {
	var f RefreshFamily
	t, g := &f.Token, &f.Grant
	var created, expires, authTime, gCreated, gExpires string
	var used, revoked sql.NullString
	err := tx.queryRow(ctx, refreshFamilyQuery, hash).Scan(&t.Hash, &t.GrantID, &t.Scopes, &t.SessionVersion,
		&created, &expires, &used, &g.ClientID, &g.UserID, &g.Scopes, &g.SessionID, &authTime, &gCreated,
		&gExpires, &revoked, &g.RevokedReason, &g.DPoPJKT, &f.AMR)
	if err != nil {
		return f, mapErr(err)
	}
	g.ID = t.GrantID
	t.CreatedAt, t.ExpiresAt, t.UsedAt = parseTime(created), parseTime(expires), parseNullTime(used)
	g.AuthTime, g.CreatedAt, g.ExpiresAt = parseTime(authTime), parseTime(gCreated), parseTime(gExpires)
	g.RevokedAt = parseNullTime(revoked)
	return f, nil
}

var rotateRefreshTokenQuery = hot(`UPDATE oauth_refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL
		AND EXISTS (SELECT 1 FROM oauth_grants g JOIN users u ON u.id = g.user_id WHERE g.id = oauth_refresh_tokens.grant_id
		AND g.revoked_at IS NULL AND u.disabled = 0 AND u.session_version = ?)`)

// RotateRefreshToken marks an unused refresh token used at tx.Now, in one
// statement that also checks, at that moment, what the refresh grant read
// beforehand outside the transaction: the grant is live, the user enabled
// and still at sessionVersion. False means one of them no longer holds
// (the token was used meanwhile, the grant revoked, the user disabled or
// signed out everywhere): the caller then reads afresh inside the
// transaction to say which.
func (tx *Tx) RotateRefreshToken(ctx context.Context, hash string, sessionVersion int) (bool, error) {
	res, err := tx.exec(ctx, rotateRefreshTokenQuery, formatTime(tx.Now), hash, sessionVersion)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseRefreshToken marks an unused refresh token as used at tx.Now.
// ErrNotFound means it was used already: a reuse.
func (tx *Tx) UseRefreshToken(ctx context.Context, hash string) error {
	return tx.execOne(ctx, "UPDATE oauth_refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
		formatTime(tx.Now), hash)
}

// InsertRevokedToken records a revoked access token until it would expire.
func (tx *Tx) InsertRevokedToken(ctx context.Context, jti string, expires time.Time) error {
	_, err := tx.exec(ctx, "INSERT INTO oauth_revoked_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING",
		jti, formatTime(expires))
	return err
}

// DeleteExpiredTokens removes up to limit rows in each of the token tables
// whose expiry has passed: refresh tokens (used ones included, kept until
// now for reuse detection), revoked access tokens, and grants with no
// refresh token left. It reports how many rows went.
func (tx *Tx) DeleteExpiredTokens(ctx context.Context, limit int) (int64, error) {
	n1, err := tx.deleteBatch(ctx, "oauth_refresh_tokens", "token_hash", limit)
	if err != nil {
		return 0, err
	}
	n2, err := tx.deleteBatch(ctx, "oauth_revoked_tokens", "jti", limit)
	if err != nil {
		return 0, err
	}
	res, err := tx.exec(ctx, `DELETE FROM oauth_grants WHERE id IN (SELECT g.id FROM oauth_grants g
		WHERE g.expires_at <= ? AND NOT EXISTS (SELECT 1 FROM oauth_refresh_tokens r WHERE r.grant_id = g.id) LIMIT ?)`,
		formatTime(tx.Now), limit)
	if err != nil {
		return 0, err
	}
	n3, err := res.RowsAffected()
	return max(n1, n2, n3), err
}
