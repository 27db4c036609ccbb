package store

import (
	"context"
	"database/sql"
	"time"
)

// PushedRequest is an oauth_par_requests row (RFC 9126).
type PushedRequest struct {
	Hash      string // SHA-256 of the request_uri
	ClientID  string
	Params    string // JSON object of the authorization parameters
	CreatedAt time.Time
	ExpiresAt time.Time
	ClaimedAt time.Time // zero until first seen at the authorization endpoint
	UsedAt    time.Time // zero until the request ended in a code or a denial
}

// InsertPushedRequest stores a pushed authorization request.
func (tx *Tx) InsertPushedRequest(ctx context.Context, p PushedRequest) error {
	_, err := tx.exec(ctx, `INSERT INTO oauth_par_requests (request_uri_hash, client_id, params, created_at, expires_at,
		claimed_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, p.Hash, p.ClientID, p.Params, formatTime(p.CreatedAt),
		formatTime(p.ExpiresAt), nullTime(p.ClaimedAt), nullTime(p.UsedAt))
	return err
}

// PushedRequest finds a pushed request by its request_uri hash.
func (tx *Tx) PushedRequest(ctx context.Context, hash string) (PushedRequest, error) {
	var p PushedRequest
	var created, expires string
	var claimed, used sql.NullString
	err := tx.queryRow(ctx, `SELECT request_uri_hash, client_id, params, created_at, expires_at, claimed_at, used_at
		FROM oauth_par_requests WHERE request_uri_hash = ?`, hash).Scan(&p.Hash, &p.ClientID, &p.Params, &created, &expires, &claimed, &used)
	if err != nil {
		return p, mapErr(err)
	}
	p.CreatedAt, p.ExpiresAt = parseTime(created), parseTime(expires)
	p.ClaimedAt, p.UsedAt = parseNullTime(claimed), parseNullTime(used)
	return p, nil
}

// ClaimPushedRequest records the first visit of an unclaimed request at
// tx.Now and gives it until expires to end.
func (tx *Tx) ClaimPushedRequest(ctx context.Context, hash string, expires time.Time) error {
	return tx.execOne(ctx, `UPDATE oauth_par_requests SET claimed_at = ?, expires_at = ?
		WHERE request_uri_hash = ? AND claimed_at IS NULL`, formatTime(tx.Now), formatTime(expires), hash)
}

// UsePushedRequest marks an unused request as used at tx.Now. ErrNotFound
// means it was used already (or never existed).
func (tx *Tx) UsePushedRequest(ctx context.Context, hash, clientID string) error {
	return tx.execOne(ctx, `UPDATE oauth_par_requests SET used_at = ? WHERE request_uri_hash = ? AND client_id = ?
		AND used_at IS NULL AND expires_at > ?`, formatTime(tx.Now), hash, clientID, formatTime(tx.Now))
}

// DeleteExpiredPushedRequests removes up to limit pushed requests past their expiry.
func (tx *Tx) DeleteExpiredPushedRequests(ctx context.Context, limit int) (int64, error) {
	return tx.deleteBatch(ctx, "oauth_par_requests", "request_uri_hash", limit)
}
