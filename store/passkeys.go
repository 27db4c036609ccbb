package store

import (
	"context"
	"database/sql"
	"time"
)

// Passkey is a passkeys row.
type Passkey struct {
	ID         string
	UserID     string
	Name       string
	Credential []byte
	CreatedAt  time.Time
	LastUsedAt time.Time // zero until first used
}

const passkeyColumns = "id, user_id, name, credential, created_at, last_used_at"

func scanPasskey(row scanner) (Passkey, error) {
	var p Passkey
	var created string
	var used sql.NullString
	if err := row.Scan(&p.ID, &p.UserID, &p.Name, &p.Credential, &created, &used); err != nil {
		return p, mapErr(err)
	}
	p.CreatedAt, p.LastUsedAt = parseTime(created), parseNullTime(used)
	return p, nil
}

// InsertPasskey adds a passkey; a credential id already registered is
// ErrConflict.
func (tx *Tx) InsertPasskey(ctx context.Context, p Passkey) error {
	_, err := tx.exec(ctx, "INSERT INTO passkeys ("+passkeyColumns+") VALUES (?, ?, ?, ?, ?, ?)",
		p.ID, p.UserID, p.Name, p.Credential, formatTime(p.CreatedAt), nullTime(p.LastUsedAt))
	return err
}

// Passkey finds a passkey by credential id.
func (tx *Tx) Passkey(ctx context.Context, id string) (Passkey, error) {
	return scanPasskey(tx.queryRow(ctx, "SELECT "+passkeyColumns+" FROM passkeys WHERE id = ?", id))
}

// UserPasskeys lists a user's passkeys, oldest first.
func (tx *Tx) UserPasskeys(ctx context.Context, userID string) ([]Passkey, error) {
	rows, err := tx.query(ctx, "SELECT "+passkeyColumns+" FROM passkeys WHERE user_id = ? ORDER BY created_at, id", userID)
	return collect(rows, err, scanPasskey)
}

// UsePasskey stores a passkey's credential after a sign-in (new sign count
// and flags) and its last-used time.
func (tx *Tx) UsePasskey(ctx context.Context, id string, credential []byte) error {
	return tx.execOne(ctx, "UPDATE passkeys SET credential = ?, last_used_at = ? WHERE id = ?", credential, formatTime(tx.Now), id)
}

// RenamePasskey renames one of a user's passkeys.
func (tx *Tx) RenamePasskey(ctx context.Context, userID, id, name string) error {
	return tx.execOne(ctx, "UPDATE passkeys SET name = ? WHERE id = ? AND user_id = ?", name, id, userID)
}

// DeletePasskey removes one of a user's passkeys.
func (tx *Tx) DeletePasskey(ctx context.Context, userID, id string) error {
	return tx.execOne(ctx, "DELETE FROM passkeys WHERE id = ? AND user_id = ?", id, userID)
}

// CountPasskeys counts a user's passkeys.
func (tx *Tx) CountPasskeys(ctx context.Context, userID string) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM passkeys WHERE user_id = ?", userID).Scan(&n)
	return n, mapErr(err)
}

// WebAuthnChallenge is a webauthn_challenges row.
type WebAuthnChallenge struct {
	ID        string
	UserID    string
	Purpose   string
	Session   []byte
	ExpiresAt time.Time
}

// InsertWebAuthnChallenge stores a ceremony's challenge.
func (tx *Tx) InsertWebAuthnChallenge(ctx context.Context, c WebAuthnChallenge) error {
	_, err := tx.exec(ctx, "INSERT INTO webauthn_challenges (id, user_id, purpose, session, expires_at) VALUES (?, ?, ?, ?, ?)",
		c.ID, c.UserID, c.Purpose, c.Session, formatTime(c.ExpiresAt))
	return err
}

// TakeWebAuthnChallenge reads and deletes an unexpired challenge: each is
// used at most once. ErrNotFound when there is none.
func (tx *Tx) TakeWebAuthnChallenge(ctx context.Context, id, purpose string) (WebAuthnChallenge, error) {
	var c WebAuthnChallenge
	var expires string
	err := tx.queryRow(ctx, "SELECT id, user_id, purpose, session, expires_at FROM webauthn_challenges WHERE id = ? AND purpose = ?",
		id, purpose).Scan(&c.ID, &c.UserID, &c.Purpose, &c.Session, &expires)
	if err != nil {
		return c, mapErr(err)
	}
	if err := tx.execOne(ctx, "DELETE FROM webauthn_challenges WHERE id = ?", id); err != nil {
		return c, err
	}
	c.ExpiresAt = parseTime(expires)
	if !tx.Now.Before(c.ExpiresAt) {
		return c, ErrNotFound
	}
	return c, nil
}

// DeleteExpiredWebAuthnChallenges removes up to limit expired challenges.
func (tx *Tx) DeleteExpiredWebAuthnChallenges(ctx context.Context, limit int) (int64, error) {
	return tx.deleteBatch(ctx, "webauthn_challenges", "id", limit)
}
