package store

import (
	"context"
	"fmt"
	"time"
)

// Access is one product a user's organization subscribes to, with the live
// subscription and whether the user holds one of its seats.
type Access struct {
	ProductID      string
	Slug           string
	Name           string
	Description    string
	Features       []string
	SubscriptionID string
	Status         string
	EndDate        time.Time
	TotalSeats     int
	SeatsUsed      int
	AutoAssign     bool
	HasSeat        bool
}

// accessOfUserSQL is the access query of a user (placeholder user) at a
// time (placeholder now), without its order: AccessOfUser and HotRead
// share it.
func accessOfUserSQL(user, now string) string {
	return `SELECT p.id, p.slug AS access_slug, p.name, p.description, p.features, s.id, s.status, s.end_date, s.total_seats,
		       (SELECT COUNT(*) FROM seats x WHERE x.subscription_id = s.id),
		       s.auto_assign,
		       EXISTS (SELECT 1 FROM seats y WHERE y.subscription_id = s.id AND y.user_id = u.id)
		FROM users u
		JOIN subscriptions s ON s.org_id = u.primary_org_id AND s.status IN ('active', 'trial')
		JOIN products p ON p.id = s.product_id AND p.archived_at IS NULL
		WHERE u.id = ` + user + ` AND (s.end_date IS NULL OR s.end_date > ` + now + `)`
}

// accessWidth is the number of columns of accessOfUserSQL.
const accessWidth = 12

var accessOfUserQuery = hot(accessOfUserSQL("?", "?") + " ORDER BY p.slug")

// AccessOfUser lists, for a user's primary organization, every product with
// a live (active or trial) subscription not yet past its end date at now,
// with the seat count and whether the user holds a seat. The domain decides
// what counts as access; this is one indexed read.
func (tx *Tx) AccessOfUser(ctx context.Context, userID string) ([]Access, error) {
	rows, err := tx.query(ctx, accessOfUserQuery, userID, formatTime(tx.Now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Access
	for rows.Next() {
		a, err := scanAccess(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// scanAccess reads one row of accessOfUserSQL.
func scanAccess(row scanner) (Access, error) {
	var a Access
	var end *string
	var features string
	if err := row.Scan(&a.ProductID, &a.Slug, &a.Name, &a.Description, &features, &a.SubscriptionID,
		&a.Status, &end, &a.TotalSeats, &a.SeatsUsed, &a.AutoAssign, &a.HasSeat); err != nil {
		return a, mapErr(err)
	}
	var err error
	if a.Features, err = decodeList(features); err != nil {
		return a, fmt.Errorf("product %s: %w", a.ProductID, err)
	}
	if end != nil {
		a.EndDate = parseTime(*end)
	}
	return a, nil
}
