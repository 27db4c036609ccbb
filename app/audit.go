package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"optare/store"
)

// Outcomes of an audited action.
const (
	OutcomeSuccess = "success"
	OutcomeFailure = "failure"
)

// AuditRecord describes one audited event before it is written.
type AuditRecord struct {
	Action     string // "product.created", "auth.login", …
	TargetType string // "product", "user", …
	TargetID   string
	OrgID      string
	Outcome    string         // OutcomeSuccess when empty
	Details    map[string]any // what changed; never secrets
	// collapse, when set, folds repeats with the same key into one entry
	// that counts them (failed authentications).
	collapse string
}

// AuditEntry is one entry of the audit log as the domain shows it.
type AuditEntry struct {
	ID         string         `json:"id"`
	Time       time.Time      `json:"time"`
	ActorType  string         `json:"actor_type"`
	ActorID    string         `json:"actor_id,omitempty"`
	Actor      string         `json:"actor"`
	IP         string         `json:"ip,omitempty"`
	Action     string         `json:"action"`
	TargetType string         `json:"target_type,omitempty"`
	TargetID   string         `json:"target_id,omitempty"`
	OrgID      string         `json:"organization_id,omitempty"`
	Outcome    string         `json:"outcome"`
	Details    map[string]any `json:"details"`
	// Count is how many attempts the entry stands for: repeated failures
	// from one source on one identifier within a minute share one entry.
	Count int `json:"count"`
	seq   int64
}

// audit appends an entry inside tx, the transaction of the change it
// describes: the entry exists exactly when the change does.
func (s *Service) audit(ctx context.Context, tx *store.Tx, a Actor, r AuditRecord) error {
	if r.Outcome == "" {
		r.Outcome = OutcomeSuccess
	}
	details := "{}"
	if len(r.Details) > 0 {
		b, err := EncodeJSON(r.Details) // times in details in the API's one precision
		if err != nil {
			return fmt.Errorf("audit details: %w", err)
		}
		details = string(b)
	}
	label := a.Label
	if label == "" {
		label = string(a.Kind)
	}
	err := tx.InsertAudit(ctx, store.AuditEntry{
		ID: newID(prefixAudit), CreatedAt: tx.Now, ActorType: string(a.Kind), ActorID: a.ID,
		ActorLabel: label, IP: a.IP, Action: r.Action, TargetType: r.TargetType, TargetID: r.TargetID,
		OrgID: r.OrgID, Outcome: r.Outcome, Details: details, CollapseKey: r.collapse,
	})
	if err != nil {
		return fmt.Errorf("audit %s: %w", r.Action, err)
	}
	return nil
}

// auditFailure records a refused attempt in a transaction of its own, since
// the refused change itself writes nothing.
func (s *Service) auditFailure(ctx context.Context, a Actor, r AuditRecord) {
	r.Outcome = OutcomeFailure
	err := s.db.Write(ctx, func(tx *store.Tx) error { return s.audit(ctx, tx, a, r) })
	if err != nil {
		s.log.ErrorContext(ctx, "record failed attempt", "action", r.Action, "err", err)
	}
}

// auditCollapsed records a failed attempt like auditFailure, but folds
// repeats of the same action, source and identifier (key) within one minute
// into one entry with a count, so guessing cannot grow the log faster than
// one row per source, identifier and minute.
func (s *Service) auditCollapsed(ctx context.Context, a Actor, r AuditRecord, key string) {
	r.collapse = r.Action + "|" + a.IP + "|" + key + "|" + s.now().UTC().Truncate(time.Minute).Format(time.RFC3339)
	s.auditFailure(ctx, a, r)
}

// AuditQuery filters ListAudit. Cursor is the previous page's NextCursor.
type AuditQuery struct {
	Action string
	Actor  string
	OrgID  string
	Since  time.Time
	Until  time.Time
	Cursor string
	Limit  int
}

// AuditPage is one page of audit entries, newest first.
type AuditPage struct {
	Entries    []AuditEntry `json:"audit_logs"`
	NextCursor Cursor       `json:"next_cursor"`
}

// ListAudit lists audit entries; operator admins see everything, an
// organization's admins their organization's entries.
func (s *Service) ListAudit(ctx context.Context, a Actor, q AuditQuery) (AuditPage, error) {
	if !a.IsOperatorAdmin() {
		if !a.IsOrgAdmin(a.OrgID) {
			return AuditPage{}, errForbidden("")
		}
		q.OrgID = a.OrgID
	}
	limit := clampLimit(q.Limit)
	var before int64
	if q.Cursor != "" {
		if _, err := fmt.Sscanf(q.Cursor, "%d", &before); err != nil || before <= 0 {
			return AuditPage{}, errInvalid(map[string]string{"cursor": "Unknown cursor."})
		}
	}
	if q.OrgID != "" && a.IsOperatorAdmin() {
		// Named by id or slug; an unknown one simply matches nothing.
		if org, err := s.OrganizationByRef(ctx, a, q.OrgID); err == nil {
			q.OrgID = org.ID
		}
	}
	page := AuditPage{Entries: []AuditEntry{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.AuditEntries(ctx, store.AuditFilter{Action: q.Action, Actor: q.Actor, OrgID: q.OrgID,
			Since: q.Since, Until: q.Until, Before: before, Limit: limit + 1})
		if err != nil {
			return err
		}
		for i, r := range rows {
			if i == limit {
				page.NextCursor = Cursor(fmt.Sprint(rows[i-1].Seq))
				break
			}
			page.Entries = append(page.Entries, auditFromRow(r))
		}
		return nil
	})
	if err != nil {
		return AuditPage{}, errInternal("list audit: %w", err)
	}
	return page, nil
}

func auditFromRow(r store.AuditEntry) AuditEntry {
	e := AuditEntry{ID: r.ID, Time: r.CreatedAt, ActorType: r.ActorType, ActorID: r.ActorID, Actor: r.ActorLabel,
		IP: r.IP, Action: r.Action, TargetType: r.TargetType, TargetID: r.TargetID, OrgID: r.OrgID,
		Outcome: r.Outcome, Count: r.Occurrences, seq: r.Seq}
	if err := json.Unmarshal([]byte(r.Details), &e.Details); err != nil || e.Details == nil {
		e.Details = map[string]any{}
	}
	return e
}

// Page sizes for every list.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}
