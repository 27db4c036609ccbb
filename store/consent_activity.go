package store

import (
	"context"
	"time"
)

// AppLastUsed returns, per client, when a user's grants to it last issued
// tokens: the newest grant (a sign-in through the app) or refresh token (the
// app renewing its access) of the user and that client. Revoked grants
// count too, since they were used before they were revoked. Clients without
// tokens left (the housekeeping sweep removes expired ones) are absent.
func (tx *Tx) AppLastUsed(ctx context.Context, userID string) (map[string]time.Time, error) {
	rows, err := tx.query(ctx, `SELECT client_id, MAX(at) FROM (
			SELECT client_id, created_at AS at FROM oauth_grants WHERE user_id = ?
			UNION ALL
			SELECT g.client_id, t.created_at FROM oauth_refresh_tokens t JOIN oauth_grants g ON g.id = t.grant_id
			WHERE g.user_id = ?
		) AS uses GROUP BY client_id`, userID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var clientID, last string
		if err := rows.Scan(&clientID, &last); err != nil {
			return nil, err
		}
		out[clientID] = parseTime(last)
	}
	return out, rows.Err()
}
