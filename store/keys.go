package store

import (
	"context"
	"database/sql"
	"time"
)

// Signing key states (SPEC §5).
const (
	KeyNext    = "next"    // published, not yet signing
	KeyActive  = "active"  // signing (one per algorithm)
	KeyRetired = "retired" // published for verification until PublishUntil
)

// SigningKey is a signing_keys row. PrivateKey is PKCS#8 PEM (encrypted in
// the table when the database has an encryption key, see keycrypt.go).
type SigningKey struct {
	ID           string
	Alg          string
	State        string
	PrivateKey   []byte
	CreatedAt    time.Time
	ActivatedAt  time.Time
	RetiredAt    time.Time
	PublishUntil time.Time
}

const keyColumns = "kid, alg, state, private_key, created_at, activated_at, retired_at, publish_until"

// InsertSigningKey adds a key; a second active or next key for the same
// algorithm is ErrConflict.
func (tx *Tx) InsertSigningKey(ctx context.Context, k SigningKey) error {
	sealed, err := sealKey(tx.kek, k.ID, k.PrivateKey)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, "INSERT INTO signing_keys ("+keyColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		k.ID, k.Alg, k.State, sealed, formatTime(k.CreatedAt), nullTime(k.ActivatedAt),
		nullTime(k.RetiredAt), nullTime(k.PublishUntil))
	return err
}

// UpdateSigningKey writes back a key's state and times.
func (tx *Tx) UpdateSigningKey(ctx context.Context, k SigningKey) error {
	return tx.execOne(ctx, "UPDATE signing_keys SET state = ?, activated_at = ?, retired_at = ?, publish_until = ? WHERE kid = ?",
		k.State, nullTime(k.ActivatedAt), nullTime(k.RetiredAt), nullTime(k.PublishUntil), k.ID)
}

// SigningKeys lists every key still published at now: next, active, and
// retired keys whose publish_until has not passed; oldest first.
func (tx *Tx) SigningKeys(ctx context.Context) ([]SigningKey, error) {
	rows, err := tx.query(ctx, "SELECT "+keyColumns+` FROM signing_keys
		WHERE state <> 'retired' OR publish_until > ? ORDER BY created_at, kid`, formatTime(tx.Now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SigningKey
	for rows.Next() {
		var k SigningKey
		var created string
		var activated, retired, until sql.NullString
		if err := rows.Scan(&k.ID, &k.Alg, &k.State, &k.PrivateKey, &created, &activated, &retired, &until); err != nil {
			return nil, err
		}
		if k.PrivateKey, err = openKey(tx.kek, k.ID, k.PrivateKey); err != nil {
			return nil, err
		}
		k.CreatedAt, k.ActivatedAt = parseTime(created), parseNullTime(activated)
		k.RetiredAt, k.PublishUntil = parseNullTime(retired), parseNullTime(until)
		out = append(out, k)
	}
	return out, rows.Err()
}

// signingKeysVersionSQL is one row, one column: the keys table's
// fingerprint (SigningKeysVersion), which HotRead reads too.
const signingKeysVersionSQL = `SELECT COUNT(*) || ':' || COALESCE(MAX(created_at), '') || ':' ||
		COALESCE(MAX(activated_at), '') || ':' || COALESCE(MAX(retired_at), '') AS keys_version FROM signing_keys`

var signingKeysVersionQuery = hot(signingKeysVersionSQL)

// SigningKeysVersion is a cheap fingerprint of the keys table: it changes
// whenever a key is added, changes state or is removed, so a running server
// notices a rotation made by another process.
func (tx *Tx) SigningKeysVersion(ctx context.Context) (string, error) {
	var v string
	err := tx.queryRow(ctx, signingKeysVersionQuery).Scan(&v)
	return v, err
}

// DeleteUnpublishedKeys removes retired keys whose publish_until has passed:
// every token they signed has expired, so the private key is no longer kept.
func (tx *Tx) DeleteUnpublishedKeys(ctx context.Context) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM signing_keys WHERE state = 'retired' AND publish_until <= ?", formatTime(tx.Now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
