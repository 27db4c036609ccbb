package store

import (
	"context"
	"fmt"
)

// AuditActions lists the distinct actions the audit log holds, sorted; the
// index on (action, …) answers it without reading the entries.
func (tx *Tx) AuditActions(ctx context.Context) ([]string, error) {
	rows, err := tx.query(ctx, "SELECT DISTINCT action FROM audit_log ORDER BY action")
	if err != nil {
		return nil, fmt.Errorf("audit actions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("audit actions: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
