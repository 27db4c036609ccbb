package store

import (
	"context"
	"time"
)

// Seat is a seats row with the holder's email and name.
type Seat struct {
	SubscriptionID string
	UserID         string
	Email          string
	Name           string
	AssignedAt     time.Time
}

// InsertSeat gives a user a seat; a seat already held is ErrConflict, an
// unknown user or subscription ErrReference. The caller counts free seats in
// the same write transaction, which the single writer makes race-free.
func (tx *Tx) InsertSeat(ctx context.Context, subscriptionID, userID string) error {
	_, err := tx.exec(ctx, "INSERT INTO seats (subscription_id, user_id, assigned_at) VALUES (?, ?, ?)",
		subscriptionID, userID, formatTime(tx.Now))
	return err
}

// DeleteSeat takes a seat back; ErrNotFound when the user held none.
func (tx *Tx) DeleteSeat(ctx context.Context, subscriptionID, userID string) error {
	return tx.execOne(ctx, "DELETE FROM seats WHERE subscription_id = ? AND user_id = ?", subscriptionID, userID)
}

// CountSeats counts the seats taken in a subscription.
func (tx *Tx) CountSeats(ctx context.Context, subscriptionID string) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM seats WHERE subscription_id = ?", subscriptionID).Scan(&n)
	return n, err
}

// HasSeat reports whether a user holds a seat in a subscription.
func (tx *Tx) HasSeat(ctx context.Context, subscriptionID, userID string) (bool, error) {
	var ok bool
	err := tx.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM seats WHERE subscription_id = ? AND user_id = ?)", subscriptionID, userID).Scan(&ok)
	return ok, err
}

const seatSelect = `SELECT s.subscription_id, s.user_id, u.email, u.name, s.assigned_at
		FROM seats s JOIN users u ON u.id = s.user_id`

func scanSeat(rows scanner) (Seat, error) {
	var s Seat
	var at string
	err := rows.Scan(&s.SubscriptionID, &s.UserID, &s.Email, &s.Name, &at)
	s.AssignedAt = parseTime(at)
	return s, err
}

// Seats lists a subscription's seats ordered by user id, after the cursor.
func (tx *Tx) Seats(ctx context.Context, subscriptionID, after string, limit int) ([]Seat, error) {
	rows, err := tx.query(ctx, seatSelect+" WHERE s.subscription_id = ? AND s.user_id > ? ORDER BY s.user_id LIMIT ?", subscriptionID, after, max(limit, 1))
	return collect(rows, err, scanSeat)
}

// SeatsOfUser lists every seat a user holds, in any subscription, ordered by
// subscription id (one read on the seats_user index).
func (tx *Tx) SeatsOfUser(ctx context.Context, userID string) ([]Seat, error) {
	rows, err := tx.query(ctx, seatSelect+" WHERE s.user_id = ? ORDER BY s.subscription_id", userID)
	return collect(rows, err, scanSeat)
}

// DeleteSeatsOfUserInOrg frees every seat a user holds in an organization's
// subscriptions (when they leave it) and reports how many.
func (tx *Tx) DeleteSeatsOfUserInOrg(ctx context.Context, orgID, userID string) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM seats WHERE user_id = ? AND subscription_id IN (SELECT id FROM subscriptions WHERE org_id = ?)", userID, orgID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
