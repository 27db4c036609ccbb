package store

import (
	"context"
	"strings"
	"time"
)

// AuditEntry is an audit_log row. Details is a JSON object.
type AuditEntry struct {
	Seq        int64
	ID         string
	CreatedAt  time.Time
	ActorType  string
	ActorID    string
	ActorLabel string
	IP         string
	Action     string
	TargetType string
	TargetID   string
	OrgID      string
	Outcome    string
	Details    string
	// Occurrences counts the attempts a collapsed entry stands for (1 for
	// every other entry).
	Occurrences int
	// CollapseKey, when set, makes repeats with the same key count up in
	// the first entry instead of adding rows.
	CollapseKey string
}

const auditColumns = "seq, id, created_at, actor_type, actor_id, actor_label, ip, action, target_type, target_id, org_id, outcome, details, occurrences"

// InsertAudit appends an entry; the log has no update or delete, except
// that an entry with a CollapseKey already present counts one more
// occurrence on that entry.
func (tx *Tx) InsertAudit(ctx context.Context, e AuditEntry) error {
	if e.Details == "" {
		e.Details = "{}"
	}
	var key any
	if e.CollapseKey != "" {
		key = e.CollapseKey
	}
	_, err := tx.exec(ctx, `INSERT INTO audit_log (id, created_at, actor_type, actor_id, actor_label, ip, action,
		target_type, target_id, org_id, outcome, details, collapse_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (collapse_key) WHERE collapse_key IS NOT NULL DO UPDATE SET occurrences = audit_log.occurrences + 1`,
		e.ID, formatTime(e.CreatedAt), e.ActorType, e.ActorID, e.ActorLabel, e.IP, e.Action,
		e.TargetType, e.TargetID, e.OrgID, e.Outcome, e.Details, key)
	return err
}

// PruneAudit deletes the entries written before cutoff (the operator's
// retention rule) and returns how many went. The audit log's delete trigger
// lets through exactly the entries older than audit_retention.prune_before.
func (tx *Tx) PruneAudit(ctx context.Context, cutoff time.Time) (int64, error) {
	if _, err := tx.exec(ctx, "UPDATE audit_retention SET prune_before = ? WHERE id = 1", formatTime(cutoff)); err != nil {
		return 0, err
	}
	res, err := tx.exec(ctx, "DELETE FROM audit_log WHERE created_at < ?", formatTime(cutoff))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	_, err = tx.exec(ctx, "UPDATE audit_retention SET prune_before = '' WHERE id = 1")
	return n, err
}

// AuditFilter selects audit entries; empty fields match everything.
type AuditFilter struct {
	Action string // exact, or a prefix ending in "." ("product.")
	Actor  string // actor id or label
	OrgID  string
	Since  time.Time
	Until  time.Time
	Before int64 // cursor: only entries with a smaller seq
	Limit  int
}

// AuditEntries lists entries newest first.
func (tx *Tx) AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var where []string
	var args []any
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			where = append(where, "action >= ? AND action < ?")
			args = append(args, f.Action, f.Action[:len(f.Action)-1]+"/")
		} else {
			where = append(where, "action = ?")
			args = append(args, f.Action)
		}
	}
	if f.Actor != "" {
		where = append(where, "(actor_id = ? OR actor_label = ?)")
		args = append(args, f.Actor, f.Actor)
	}
	if f.OrgID != "" {
		where = append(where, "org_id = ?")
		args = append(args, f.OrgID)
	}
	if !f.Since.IsZero() {
		where = append(where, "created_at >= ?")
		args = append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, "created_at < ?")
		args = append(args, formatTime(f.Until))
	}
	if f.Before > 0 {
		where = append(where, "seq < ?")
		args = append(args, f.Before)
	}
	q := "SELECT " + auditColumns + " FROM audit_log"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY seq DESC LIMIT ?"
	args = append(args, max(f.Limit, 1))
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var created string
		if err := rows.Scan(&e.Seq, &e.ID, &created, &e.ActorType, &e.ActorID, &e.ActorLabel, &e.IP,
			&e.Action, &e.TargetType, &e.TargetID, &e.OrgID, &e.Outcome, &e.Details, &e.Occurrences); err != nil {
			return nil, err
		}
		e.CreatedAt = parseTime(created)
		out = append(out, e)
	}
	return out, rows.Err()
}

// UnknownTarget narrows CountAudit to entries without a target: attempts on
// identifiers that do not exist (an unknown email).
const UnknownTarget = "\x00unknown"

// CountAudit counts the attempts (collapsed entries count every occurrence)
// with an action and outcome since a time, optionally narrowed to a target
// id (or UnknownTarget) or source IP (login throttling and the dashboard's
// sign-in counters).
func (tx *Tx) CountAudit(ctx context.Context, action, outcome, targetID, ip string, since time.Time) (int, error) {
	q := "SELECT COALESCE(SUM(occurrences), 0) FROM audit_log WHERE action = ? AND outcome = ? AND created_at > ?"
	args := []any{action, outcome, formatTime(since)}
	if targetID == UnknownTarget {
		q += " AND target_id = ''"
	} else if targetID != "" {
		q += " AND target_id = ?"
		args = append(args, targetID)
	}
	if ip != "" {
		q += " AND ip = ?"
		args = append(args, ip)
	}
	var n int
	err := tx.queryRow(ctx, q, args...).Scan(&n)
	return n, err
}

// LastAuditTime is the time of the newest entry with this action, outcome and
// target, or the zero time.
func (tx *Tx) LastAuditTime(ctx context.Context, action, outcome, targetID string) (time.Time, error) {
	var s *string
	err := tx.queryRow(ctx, "SELECT MAX(created_at) FROM audit_log WHERE action = ? AND outcome = ? AND target_id = ?", action, outcome, targetID).Scan(&s)
	if err != nil || s == nil {
		return time.Time{}, err
	}
	return parseTime(*s), nil
}
