package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// UsageCount is one hourly counter: how many times metric happened in the
// hour starting at Hour, for an organization, subject and label.
type UsageCount struct {
	Metric string
	Hour   time.Time
	OrgID  string
	// Subject is an API key id, a product id, an endpoint or a method.
	Subject string
	Label   string
	Count   int64
}

// AddUsage adds counts to the hourly counters, one upsert per row.
func (tx *Tx) AddUsage(ctx context.Context, counts []UsageCount) error {
	for _, c := range counts {
		if _, err := tx.exec(ctx, `INSERT INTO usage_hourly (metric, hour, organization_id, subject, label, count)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (metric, hour, organization_id, subject, label)
			DO UPDATE SET count = usage_hourly.count + excluded.count`,
			c.Metric, formatTime(c.Hour), c.OrgID, c.Subject, c.Label, c.Count); err != nil {
			return err
		}
	}
	return nil
}

// UsageFilter selects counters: Metric and the time range are required,
// the rest narrow when set.
type UsageFilter struct {
	Metrics      []string
	Since, Until time.Time // [Since, Until)
	OrgID        string
	Subject      string
}

// Usage lists the counters matching f, oldest first.
func (tx *Tx) Usage(ctx context.Context, f UsageFilter) ([]UsageCount, error) {
	q := strings.Builder{}
	q.WriteString("SELECT metric, hour, organization_id, subject, label, count FROM usage_hourly WHERE metric IN (")
	args := make([]any, 0, len(f.Metrics)+4)
	for i, m := range f.Metrics {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("?")
		args = append(args, m)
	}
	q.WriteString(") AND hour >= ? AND hour < ?")
	args = append(args, formatTime(f.Since), formatTime(f.Until))
	if f.OrgID != "" {
		q.WriteString(" AND organization_id = ?")
		args = append(args, f.OrgID)
	}
	if f.Subject != "" {
		q.WriteString(" AND subject = ?")
		args = append(args, f.Subject)
	}
	q.WriteString(" ORDER BY hour, metric, organization_id, subject, label")
	rows, err := tx.query(ctx, q.String(), args...)
	return collect(rows, err, func(s scanner) (UsageCount, error) {
		var c UsageCount
		var hour string
		err := s.Scan(&c.Metric, &hour, &c.OrgID, &c.Subject, &c.Label, &c.Count)
		c.Hour = parseTime(hour)
		return c, err
	})
}

// DeleteUsageBefore removes up to limit counters of hours before t.
func (tx *Tx) DeleteUsageBefore(ctx context.Context, t time.Time, limit int) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM usage_hourly WHERE (metric, hour, organization_id, subject, label) IN (
		SELECT metric, hour, organization_id, subject, label FROM usage_hourly WHERE hour < ? LIMIT ?)`, formatTime(t), limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PoolStats reports the writer and reader connection pools, for metrics.
func (db *DB) PoolStats() map[string]sql.DBStats {
	return map[string]sql.DBStats{"writer": db.writer.Stats(), "reader": db.reader.Stats()}
}

// SnapshotSeats sets metric's counter of the hour starting at hour to the
// seats in use of every live subscription, by organization and product.
func (tx *Tx) SnapshotSeats(ctx context.Context, metric string, hour time.Time) error {
	_, err := tx.exec(ctx, `INSERT INTO usage_hourly (metric, hour, organization_id, subject, label, count)
		SELECT ?, ?, s.org_id, s.product_id, '', (SELECT COUNT(*) FROM seats x WHERE x.subscription_id = s.id)
		FROM subscriptions s WHERE s.status IN ('active', 'trial')
		ON CONFLICT (metric, hour, organization_id, subject, label) DO UPDATE SET count = excluded.count`,
		metric, formatTime(hour))
	return err
}
