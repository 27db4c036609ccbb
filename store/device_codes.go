package store

import (
	"context"
	"database/sql"
	"time"
)

// Device code statuses.
const (
	DevicePending  = "pending"
	DeviceApproved = "approved"
	DeviceDenied   = "denied"
	DeviceUsed     = "used"
)

// DeviceCode is an oauth_device_codes row (RFC 8628): a device
// authorization request by the hashes of its two codes.
type DeviceCode struct {
	Hash         string // SHA-256 of the device code
	UserCodeHash string // SHA-256 of the canonical user code
	ClientID     string
	Scopes       string
	Status       string
	GrantID      string // the grant redeeming it creates
	// UserID, SessionID, AuthTime and SessionVersion are set when a user
	// approves or denies it.
	UserID         string
	SessionID      string
	AuthTime       time.Time
	SessionVersion int
	Interval       int // seconds between polls
	LastPolledAt   time.Time
	CreatedAt      time.Time
	ExpiresAt      time.Time
}

const deviceColumns = `device_code_hash, user_code_hash, client_id, scopes, status, grant_id, user_id, session_id,
	auth_time, session_version, interval_seconds, last_polled_at, created_at, expires_at`

// InsertDeviceCode stores a new device authorization request.
func (tx *Tx) InsertDeviceCode(ctx context.Context, d DeviceCode) error {
	_, err := tx.exec(ctx, "INSERT INTO oauth_device_codes ("+deviceColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		d.Hash, d.UserCodeHash, d.ClientID, d.Scopes, d.Status, d.GrantID, nullString(d.UserID), d.SessionID,
		nullTime(d.AuthTime), d.SessionVersion, d.Interval, nullTime(d.LastPolledAt), formatTime(d.CreatedAt),
		formatTime(d.ExpiresAt))
	return err
}

// DeviceCode finds a device authorization request by its device code hash.
func (tx *Tx) DeviceCode(ctx context.Context, hash string) (DeviceCode, error) {
	return scanDeviceCode(tx.queryRow(ctx, "SELECT "+deviceColumns+" FROM oauth_device_codes WHERE device_code_hash = ?", hash))
}

// DeviceCodeByUserCode finds a device authorization request by its user
// code hash.
func (tx *Tx) DeviceCodeByUserCode(ctx context.Context, hash string) (DeviceCode, error) {
	return scanDeviceCode(tx.queryRow(ctx, "SELECT "+deviceColumns+" FROM oauth_device_codes WHERE user_code_hash = ?", hash))
}

func scanDeviceCode(row scanner) (DeviceCode, error) {
	var d DeviceCode
	var user, authTime, polled sql.NullString
	var created, expires string
	err := row.Scan(&d.Hash, &d.UserCodeHash, &d.ClientID, &d.Scopes, &d.Status, &d.GrantID, &user, &d.SessionID,
		&authTime, &d.SessionVersion, &d.Interval, &polled, &created, &expires)
	if err != nil {
		return d, mapErr(err)
	}
	d.UserID = user.String
	d.AuthTime, d.LastPolledAt = parseNullTime(authTime), parseNullTime(polled)
	d.CreatedAt, d.ExpiresAt = parseTime(created), parseTime(expires)
	return d, nil
}

// DecideDeviceCode records a user's decision on a pending request: status
// approved or denied, and who decided in which session. ErrNotFound means
// it was no longer pending.
func (tx *Tx) DecideDeviceCode(ctx context.Context, d DeviceCode) error {
	return tx.execOne(ctx, `UPDATE oauth_device_codes SET status = ?, user_id = ?, session_id = ?, auth_time = ?,
		session_version = ? WHERE device_code_hash = ? AND status = 'pending'`,
		d.Status, nullString(d.UserID), d.SessionID, nullTime(d.AuthTime), d.SessionVersion, d.Hash)
}

// PollDeviceCode records a poll at tx.Now and the interval the device must
// keep from now on.
func (tx *Tx) PollDeviceCode(ctx context.Context, hash string, interval int) error {
	return tx.execOne(ctx, "UPDATE oauth_device_codes SET last_polled_at = ?, interval_seconds = ? WHERE device_code_hash = ?",
		formatTime(tx.Now), interval, hash)
}

// UseDeviceCode marks an approved request as redeemed. ErrNotFound means
// it was not (or no longer) approved.
func (tx *Tx) UseDeviceCode(ctx context.Context, hash string) error {
	return tx.execOne(ctx, "UPDATE oauth_device_codes SET status = 'used' WHERE device_code_hash = ? AND status = 'approved'", hash)
}

// DeleteExpiredDeviceCodes removes up to limit device codes past their expiry.
func (tx *Tx) DeleteExpiredDeviceCodes(ctx context.Context, limit int) (int64, error) {
	return tx.deleteBatch(ctx, "oauth_device_codes", "device_code_hash", limit)
}

// nullString stores "" as NULL, for optional references.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
