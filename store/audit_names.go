package store

import (
	"context"
	"fmt"
	"strings"
)

// auditNameQueries read the names the audit log shows for the objects of
// one type by id: a user is named by name, or by email when it has none; a
// subscription by its product and organization. Each ends with "IN ".
var auditNameQueries = map[string]string{
	"organization": "SELECT id, name FROM organizations WHERE id IN ",
	"user":         "SELECT id, CASE WHEN name = '' THEN email ELSE name END FROM users WHERE id IN ",
	"product":      "SELECT id, name FROM products WHERE id IN ",
	"subscription": `SELECT s.id, p.name || ' for ' || o.name FROM subscriptions s
		JOIN products p ON p.id = s.product_id JOIN organizations o ON o.id = s.org_id WHERE s.id IN `,
	"client":  "SELECT id, name FROM oauth_clients WHERE id IN ",
	"api_key": "SELECT id, name FROM api_keys WHERE id IN ",
}

// IsAuditNameType reports whether AuditNames can name objects of typ.
func IsAuditNameType(typ string) bool {
	_, ok := auditNameQueries[typ]
	return ok
}

// AuditNames maps ids of objects of one type (see IsAuditNameType) to
// their names, in one query; ids of objects that no longer exist are
// absent. The audit log's pages bound the list to a few hundred ids, far
// below either engine's limit on parameters.
func (tx *Tx) AuditNames(ctx context.Context, typ string, ids []string) (map[string]string, error) {
	q, ok := auditNameQueries[typ]
	if !ok {
		return nil, fmt.Errorf("audit names: unknown object type %q", typ)
	}
	names := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return names, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.query(ctx, q+"(?"+strings.Repeat(", ?", len(ids)-1)+")", args...)
	if err != nil {
		return nil, fmt.Errorf("audit names of %s: %w", typ, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("audit names of %s: %w", typ, err)
		}
		names[id] = name
	}
	return names, rows.Err()
}
