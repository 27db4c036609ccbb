package store

import (
	"context"
	"database/sql"
	"time"
)

// TOTP is a user_totp row: the user's authenticator-app secret, sealed by
// the caller (the store never sees it in the clear).
type TOTP struct {
	UserID       string
	SecretSealed []byte
	Confirmed    bool
	LastStep     int64
	CreatedAt    time.Time
	ConfirmedAt  time.Time // zero until confirmed
}

// PutPendingTOTP stores a new, unconfirmed secret for a user, replacing an
// earlier unconfirmed one. A confirmed secret is left alone: ErrConflict.
func (tx *Tx) PutPendingTOTP(ctx context.Context, t TOTP) error {
	res, err := tx.exec(ctx, `INSERT INTO user_totp (user_id, secret_sealed, confirmed, last_step, created_at, confirmed_at)
		VALUES (?, ?, 0, 0, ?, NULL)
		ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, created_at = excluded.created_at
		WHERE user_totp.confirmed = 0`, t.UserID, t.SecretSealed, formatTime(t.CreatedAt))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrConflict
	}
	return nil
}

// UserTOTP finds a user's authenticator-app row, confirmed or not.
func (tx *Tx) UserTOTP(ctx context.Context, userID string) (TOTP, error) {
	var t TOTP
	var created string
	var confirmed sql.NullString
	err := tx.queryRow(ctx, `SELECT user_id, secret_sealed, confirmed, last_step, created_at, confirmed_at
		FROM user_totp WHERE user_id = ?`, userID).Scan(&t.UserID, &t.SecretSealed, &t.Confirmed, &t.LastStep, &created, &confirmed)
	if err != nil {
		return t, mapErr(err)
	}
	t.CreatedAt, t.ConfirmedAt = parseTime(created), parseNullTime(confirmed)
	return t, nil
}

// AnyTOTP returns one stored authenticator-app row (to check the key that
// opens them); ErrNotFound when there is none.
func (tx *Tx) AnyTOTP(ctx context.Context) (TOTP, error) {
	var userID string
	if err := tx.queryRow(ctx, "SELECT user_id FROM user_totp ORDER BY user_id LIMIT 1").Scan(&userID); err != nil {
		return TOTP{}, mapErr(err)
	}
	return tx.UserTOTP(ctx, userID)
}

// UseTOTPStep records step as the last accepted one, if it is newer than
// the last; ErrNotFound means it is not (a replayed or older code). When
// confirm is set the row is marked confirmed at tx.Now as well.
func (tx *Tx) UseTOTPStep(ctx context.Context, userID string, step int64, confirm bool) error {
	if confirm {
		return tx.execOne(ctx, `UPDATE user_totp SET last_step = ?, confirmed = 1, confirmed_at = ?
			WHERE user_id = ? AND last_step < ? AND confirmed = 0`, step, formatTime(tx.Now), userID, step)
	}
	return tx.execOne(ctx, "UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ? AND confirmed = 1",
		step, userID, step)
}

// DeleteTOTP removes a user's authenticator app; ErrNotFound when none.
func (tx *Tx) DeleteTOTP(ctx context.Context, userID string) error {
	return tx.execOne(ctx, "DELETE FROM user_totp WHERE user_id = ?", userID)
}

// HasSecondFactor reports whether a user has a confirmed second factor: an
// authenticator app or a passkey.
func (tx *Tx) HasSecondFactor(ctx context.Context, userID string) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM user_totp WHERE user_id = ? AND confirmed = 1)
		+ (SELECT COUNT(*) FROM passkeys WHERE user_id = ?)`, userID, userID).Scan(&n)
	return n > 0, mapErr(err)
}

// ReplaceRecoveryCodes deletes a user's recovery codes and stores new
// hashes: the old codes stop working.
func (tx *Tx) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error {
	if err := tx.DeleteRecoveryCodes(ctx, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.exec(ctx, "INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at) VALUES (?, ?, ?, NULL)",
			userID, h, formatTime(tx.Now)); err != nil {
			return err
		}
	}
	return nil
}

// DeleteRecoveryCodes removes every recovery code of a user.
func (tx *Tx) DeleteRecoveryCodes(ctx context.Context, userID string) error {
	_, err := tx.exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID)
	return err
}

// UseRecoveryCode marks an unused code as used at tx.Now; ErrNotFound when
// the user has no such unused code.
func (tx *Tx) UseRecoveryCode(ctx context.Context, userID, hash string) error {
	return tx.execOne(ctx, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
		formatTime(tx.Now), userID, hash)
}

// UnusedRecoveryCodes counts a user's recovery codes still unused.
func (tx *Tx) UnusedRecoveryCodes(ctx context.Context, userID string) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", userID).Scan(&n)
	return n, mapErr(err)
}

// OrgRequiresMFA reports an organization's second-factor policy.
func (tx *Tx) OrgRequiresMFA(ctx context.Context, orgID string) (bool, error) {
	var req bool
	err := tx.queryRow(ctx, "SELECT require_mfa FROM organizations WHERE id = ?", orgID).Scan(&req)
	return req, mapErr(err)
}

// SetOrgRequireMFA sets an organization's second-factor policy.
func (tx *Tx) SetOrgRequireMFA(ctx context.Context, orgID string, require bool) error {
	return tx.execOne(ctx, "UPDATE organizations SET require_mfa = ?, updated_at = ? WHERE id = ?", require, formatTime(tx.Now), orgID)
}

// PutGrantAuthMethods records how the sign-in behind a grant was made (the
// amr claim, space-separated).
func (tx *Tx) PutGrantAuthMethods(ctx context.Context, grantID, amr string) error {
	_, err := tx.exec(ctx, `INSERT INTO grant_auth_methods (grant_id, amr, created_at) VALUES (?, ?, ?)
		ON CONFLICT (grant_id) DO UPDATE SET amr = excluded.amr`, grantID, amr, formatTime(tx.Now))
	return err
}

// GrantAuthMethods reads a grant's amr; "" when none was recorded.
func (tx *Tx) GrantAuthMethods(ctx context.Context, grantID string) (string, error) {
	var amr string
	err := tx.queryRow(ctx, "SELECT amr FROM grant_auth_methods WHERE grant_id = ?", grantID).Scan(&amr)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return amr, mapErr(err)
}

// DeleteOrphanAuthMethods removes up to limit amr rows older than before
// whose grant no longer exists (expired codes never redeemed, swept grants).
func (tx *Tx) DeleteOrphanAuthMethods(ctx context.Context, before time.Time, limit int) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM grant_auth_methods WHERE grant_id IN (SELECT m.grant_id FROM grant_auth_methods m
		WHERE m.created_at < ? AND NOT EXISTS (SELECT 1 FROM oauth_grants g WHERE g.id = m.grant_id) LIMIT ?)`, formatTime(before), limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
