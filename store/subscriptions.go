package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// Subscription is a subscriptions row with the number of seats taken.
type Subscription struct {
	ID           string
	OrgID        string
	ProductID    string
	TotalSeats   int
	PriceMinor   int64
	Currency     string
	BillingCycle string
	Status       string // as stored: the domain applies end_date on read
	AutoAssign   bool
	EndDate      time.Time // zero: open-ended
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SeatsUsed    int // read only: counted from seats
}

const subscriptionColumns = "s.id, s.org_id, s.product_id, s.total_seats, s.price_minor, s.currency, s.billing_cycle, s.status, s.auto_assign, s.end_date, s.created_at, s.updated_at, (SELECT COUNT(*) FROM seats x WHERE x.subscription_id = s.id)"

func scanSubscription(row scanner) (Subscription, error) {
	var s Subscription
	var end sql.NullString
	var created, updated string
	err := row.Scan(&s.ID, &s.OrgID, &s.ProductID, &s.TotalSeats, &s.PriceMinor, &s.Currency, &s.BillingCycle,
		&s.Status, &s.AutoAssign, &end, &created, &updated, &s.SeatsUsed)
	if err != nil {
		return s, mapErr(err)
	}
	s.EndDate, s.CreatedAt, s.UpdatedAt = parseNullTime(end), parseTime(created), parseTime(updated)
	return s, nil
}

// InsertSubscription adds a subscription. A second live (active or trial)
// subscription of the same organization and product is ErrConflict; an
// unknown organization or product is ErrReference.
func (tx *Tx) InsertSubscription(ctx context.Context, s Subscription) error {
	_, err := tx.exec(ctx, `INSERT INTO subscriptions (id, org_id, product_id, total_seats, price_minor, currency,
		billing_cycle, status, auto_assign, end_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.OrgID, s.ProductID, s.TotalSeats, s.PriceMinor, s.Currency, s.BillingCycle, s.Status, s.AutoAssign,
		nullTime(s.EndDate), formatTime(s.CreatedAt), formatTime(s.UpdatedAt))
	return err
}

// UpdateSubscription writes back the mutable columns of a subscription.
func (tx *Tx) UpdateSubscription(ctx context.Context, s Subscription) error {
	return tx.execOne(ctx, `UPDATE subscriptions SET total_seats = ?, price_minor = ?, currency = ?, billing_cycle = ?,
		status = ?, auto_assign = ?, end_date = ?, updated_at = ? WHERE id = ?`,
		s.TotalSeats, s.PriceMinor, s.Currency, s.BillingCycle, s.Status, s.AutoAssign, nullTime(s.EndDate),
		formatTime(s.UpdatedAt), s.ID)
}

// Subscription finds a subscription by id.
func (tx *Tx) Subscription(ctx context.Context, id string) (Subscription, error) {
	return scanSubscription(tx.queryRow(ctx, "SELECT "+subscriptionColumns+" FROM subscriptions s WHERE s.id = ?", id))
}

// CurrentSubscription is the subscription of an organization to a product
// that decides a license: the live one if any, else the newest.
func (tx *Tx) CurrentSubscription(ctx context.Context, orgID, productID string) (Subscription, error) {
	return scanSubscription(tx.queryRow(ctx, "SELECT "+subscriptionColumns+` FROM subscriptions s
		WHERE s.org_id = ? AND s.product_id = ?
		ORDER BY s.status IN ('active', 'trial') DESC, s.created_at DESC, s.id DESC LIMIT 1`, orgID, productID))
}

// SubscriptionFilter selects subscriptions; empty fields match everything.
// Status is the status as read at now: a live row past its end date counts
// as expired.
type SubscriptionFilter struct {
	OrgID     string
	ProductID string
	Status    string
	After     string
	Limit     int
}

// Subscriptions lists subscriptions ordered by id.
func (tx *Tx) Subscriptions(ctx context.Context, f SubscriptionFilter) ([]Subscription, error) {
	where := []string{"s.id > ?"}
	args := []any{f.After}
	if f.OrgID != "" {
		where, args = append(where, "s.org_id = ?"), append(args, f.OrgID)
	}
	if f.ProductID != "" {
		where, args = append(where, "s.product_id = ?"), append(args, f.ProductID)
	}
	now := formatTime(tx.Now)
	switch f.Status {
	case "":
	case "expired":
		where = append(where, "(s.status = 'expired' OR (s.status IN ('active', 'trial') AND s.end_date <= ?))")
		args = append(args, now)
	case "active", "trial":
		where = append(where, "s.status = ? AND (s.end_date IS NULL OR s.end_date > ?)")
		args = append(args, f.Status, now)
	default:
		where, args = append(where, "s.status = ?"), append(args, f.Status)
	}
	q := "SELECT " + subscriptionColumns + " FROM subscriptions s WHERE " + strings.Join(where, " AND ") + " ORDER BY s.id LIMIT ?"
	rows, err := tx.query(ctx, q, append(args, max(f.Limit, 1))...)
	return collect(rows, err, scanSubscription)
}

// DueSubscriptions lists live subscriptions whose end date is at or before
// now, optionally for one organization and product: the ones to expire.
func (tx *Tx) DueSubscriptions(ctx context.Context, orgID, productID string, limit int) ([]Subscription, error) {
	q := "SELECT " + subscriptionColumns + ` FROM subscriptions s
		WHERE s.status IN ('active', 'trial') AND s.end_date IS NOT NULL AND s.end_date <= ?`
	args := []any{formatTime(tx.Now)}
	if orgID != "" {
		q += " AND s.org_id = ? AND s.product_id = ?"
		args = append(args, orgID, productID)
	}
	rows, err := tx.query(ctx, q+" ORDER BY s.end_date LIMIT ?", append(args, max(limit, 1))...)
	return collect(rows, err, scanSubscription)
}

// SubscriptionTotals counts live, unexpired subscriptions and their seats.
func (tx *Tx) SubscriptionTotals(ctx context.Context) (live, seatsUsed, seatsTotal int, err error) {
	err = tx.queryRow(ctx, `SELECT COUNT(*), CAST(COALESCE(SUM((SELECT COUNT(*) FROM seats x WHERE x.subscription_id = s.id)), 0) AS BIGINT),
		CAST(COALESCE(SUM(s.total_seats), 0) AS BIGINT) FROM subscriptions s
		WHERE s.status IN ('active', 'trial') AND (s.end_date IS NULL OR s.end_date > ?)`, formatTime(tx.Now)).
		Scan(&live, &seatsUsed, &seatsTotal)
	return live, seatsUsed, seatsTotal, err
}

// CountLiveSubscriptionsOfOrg counts an organization's live, unexpired
// subscriptions.
func (tx *Tx) CountLiveSubscriptionsOfOrg(ctx context.Context, orgID string) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM subscriptions WHERE org_id = ? AND status IN ('active', 'trial')
		AND (end_date IS NULL OR end_date > ?)`, orgID, formatTime(tx.Now)).Scan(&n)
	return n, err
}
