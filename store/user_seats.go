package store

import "context"

// SeatsOfUser lists every seat a user holds, in any subscription, ordered by
// subscription id (one read on the seats_user index).
func (tx *Tx) SeatsOfUser(ctx context.Context, userID string) ([]Seat, error) {
	rows, err := tx.query(ctx, `SELECT s.subscription_id, s.user_id, u.email, u.name, s.assigned_at
		FROM seats s JOIN users u ON u.id = s.user_id
		WHERE s.user_id = ? ORDER BY s.subscription_id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Seat
	for rows.Next() {
		var s Seat
		var at string
		if err := rows.Scan(&s.SubscriptionID, &s.UserID, &s.Email, &s.Name, &at); err != nil {
			return nil, err
		}
		s.AssignedAt = parseTime(at)
		out = append(out, s)
	}
	return out, rows.Err()
}
