package store

import (
	"context"
	"time"
)

// Consent is an oauth_consents row: the scopes a user allowed a client.
type Consent struct {
	UserID         string
	ClientID       string
	Scopes         string // space-separated
	ConsentVersion int    // the client's consent_version when given
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// ClientName is read with ConsentsOfUser, for display.
	ClientName string
}

// Consent finds the consent of a user for a client.
func (tx *Tx) Consent(ctx context.Context, userID, clientID string) (Consent, error) {
	var c Consent
	var created, updated string
	err := tx.queryRow(ctx, `SELECT user_id, client_id, scopes, consent_version, created_at, updated_at
		FROM oauth_consents WHERE user_id = ? AND client_id = ?`, userID, clientID).Scan(
		&c.UserID, &c.ClientID, &c.Scopes, &c.ConsentVersion, &created, &updated)
	if err != nil {
		return c, mapErr(err)
	}
	c.CreatedAt, c.UpdatedAt = parseTime(created), parseTime(updated)
	return c, nil
}

// PutConsent records a consent, replacing the scopes and version of an
// earlier one and keeping its creation time.
func (tx *Tx) PutConsent(ctx context.Context, c Consent) error {
	_, err := tx.exec(ctx, `INSERT INTO oauth_consents (user_id, client_id, scopes, consent_version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes,
		consent_version = excluded.consent_version, updated_at = excluded.updated_at`,
		c.UserID, c.ClientID, c.Scopes, c.ConsentVersion, formatTime(c.CreatedAt), formatTime(c.UpdatedAt))
	return err
}

// DeleteConsent removes a user's consent for a client.
func (tx *Tx) DeleteConsent(ctx context.Context, userID, clientID string) error {
	return tx.execOne(ctx, "DELETE FROM oauth_consents WHERE user_id = ? AND client_id = ?", userID, clientID)
}

// ConsentsOfUser lists a user's consents with the clients' names, newest first.
func (tx *Tx) ConsentsOfUser(ctx context.Context, userID string) ([]Consent, error) {
	rows, err := tx.query(ctx, `SELECT k.user_id, k.client_id, k.scopes, k.consent_version, k.created_at, k.updated_at, c.name
		FROM oauth_consents k JOIN oauth_clients c ON c.id = k.client_id
		WHERE k.user_id = ? ORDER BY k.updated_at DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Consent
	for rows.Next() {
		var c Consent
		var created, updated string
		if err := rows.Scan(&c.UserID, &c.ClientID, &c.Scopes, &c.ConsentVersion, &created, &updated, &c.ClientName); err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt = parseTime(created), parseTime(updated)
		out = append(out, c)
	}
	return out, rows.Err()
}
