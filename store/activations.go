package store

import (
	"context"
	"time"
)

// Activation is an activations row: one machine of one user under one
// subscription, holding a lease until LeaseExpiresAt.
type Activation struct {
	ID              string
	SubscriptionID  string
	OrgID           string
	ProductID       string
	UserID          string
	FingerprintHash string
	Name            string
	CreatedAt       time.Time
	LastHeartbeatAt time.Time
	LeaseExpiresAt  time.Time
	// UserEmail is filled by the list query, for people reading it.
	UserEmail string
}

const activationColumns = "a.id, a.subscription_id, a.org_id, a.product_id, a.user_id, a.fingerprint_hash, a.name, a.created_at, a.last_heartbeat_at, a.lease_expires_at, u.email"

const activationFrom = " FROM activations a JOIN users u ON u.id = a.user_id"

func scanActivation(row scanner) (Activation, error) {
	var a Activation
	var created, beat, lease string
	err := row.Scan(&a.ID, &a.SubscriptionID, &a.OrgID, &a.ProductID, &a.UserID, &a.FingerprintHash, &a.Name,
		&created, &beat, &lease, &a.UserEmail)
	if err != nil {
		return a, mapErr(err)
	}
	a.CreatedAt, a.LastHeartbeatAt, a.LeaseExpiresAt = parseTime(created), parseTime(beat), parseTime(lease)
	return a, nil
}

// LockSubscription takes the subscription's row lock for the rest of the
// transaction: on SQLite the single writer already serialises writers; on
// PostgreSQL this no-op update makes concurrent activations of the same
// subscription count and insert one after the other.
func (tx *Tx) LockSubscription(ctx context.Context, id string) error {
	return tx.execOne(ctx, "UPDATE subscriptions SET id = id WHERE id = ?", id)
}

// InsertActivation adds an activation; a second one for the same machine,
// user and subscription is ErrConflict.
func (tx *Tx) InsertActivation(ctx context.Context, a Activation) error {
	_, err := tx.exec(ctx, `INSERT INTO activations (id, subscription_id, org_id, product_id, user_id, fingerprint_hash, name,
		created_at, last_heartbeat_at, lease_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.SubscriptionID, a.OrgID, a.ProductID, a.UserID, a.FingerprintHash, a.Name,
		formatTime(a.CreatedAt), formatTime(a.LastHeartbeatAt), formatTime(a.LeaseExpiresAt))
	return err
}

// RenewActivation extends an activation's lease and records the heartbeat.
func (tx *Tx) RenewActivation(ctx context.Context, id string, beat, until time.Time) error {
	return tx.execOne(ctx, "UPDATE activations SET last_heartbeat_at = ?, lease_expires_at = ? WHERE id = ?",
		formatTime(beat), formatTime(until), id)
}

// DeleteActivation removes an activation, freeing its lease.
func (tx *Tx) DeleteActivation(ctx context.Context, id string) error {
	return tx.execOne(ctx, "DELETE FROM activations WHERE id = ?", id)
}

// ActivationByID finds an activation.
func (tx *Tx) ActivationByID(ctx context.Context, id string) (Activation, error) {
	return scanActivation(tx.queryRow(ctx, "SELECT "+activationColumns+activationFrom+" WHERE a.id = ?", id))
}

// ActivationOfMachine finds the activation of a machine for a user under a
// subscription, live or not.
func (tx *Tx) ActivationOfMachine(ctx context.Context, subscriptionID, userID, fingerprintHash string) (Activation, error) {
	return scanActivation(tx.queryRow(ctx, "SELECT "+activationColumns+activationFrom+
		" WHERE a.subscription_id = ? AND a.user_id = ? AND a.fingerprint_hash = ?", subscriptionID, userID, fingerprintHash))
}

// CountLiveLeases counts the leases of a subscription not expired at now;
// with userID, only that user's.
func (tx *Tx) CountLiveLeases(ctx context.Context, subscriptionID, userID string) (int, error) {
	q := "SELECT COUNT(*) FROM activations WHERE subscription_id = ? AND lease_expires_at > ?"
	args := []any{subscriptionID, formatTime(tx.Now)}
	if userID != "" {
		q += " AND user_id = ?"
		args = append(args, userID)
	}
	var n int
	err := tx.queryRow(ctx, q, args...).Scan(&n)
	return n, err
}

// ActivationFilter selects activations: of one organization, subscription
// or user when set; ordered by id after the cursor.
type ActivationFilter struct {
	OrgID, SubscriptionID, UserID string
	After                         string
	Limit                         int
}

// Activations lists activations, live or expired but not yet swept.
func (tx *Tx) Activations(ctx context.Context, f ActivationFilter) ([]Activation, error) {
	q := "SELECT " + activationColumns + activationFrom + " WHERE a.id > ?"
	args := []any{f.After}
	for _, c := range [][2]string{{"a.org_id", f.OrgID}, {"a.subscription_id", f.SubscriptionID}, {"a.user_id", f.UserID}} {
		if c[1] != "" {
			q += " AND " + c[0] + " = ?"
			args = append(args, c[1])
		}
	}
	rows, err := tx.query(ctx, q+" ORDER BY a.id LIMIT ?", append(args, max(f.Limit, 1))...)
	return collect(rows, err, scanActivation)
}

// ExpiredActivations lists up to limit activations whose lease ended by now.
func (tx *Tx) ExpiredActivations(ctx context.Context, limit int) ([]Activation, error) {
	rows, err := tx.query(ctx, "SELECT "+activationColumns+activationFrom+" WHERE a.lease_expires_at <= ? ORDER BY a.lease_expires_at LIMIT ?",
		formatTime(tx.Now), limit)
	return collect(rows, err, scanActivation)
}
