package app

import (
	"context"

	"optare/store"
)

// AuditNames maps what audit entries name by id to what people call it:
// "organization:org_…" → "Acme", "user:user_…" → "Olga" (a user without
// a name: the email).
// Keys are NameKey(type, id); a missing key is an object since deleted.
type AuditNames map[string]string

// NameKey is the AuditNames key of an object of a type ("organization",
// "user", "product", "subscription", "client", "api_key") and id.
func NameKey(typ, id string) string { return typ + ":" + id }

// NamesForAudit resolves the actors, targets and organizations of audit
// entries to names, in one read with one query per type of object named,
// so the log can show and link them. Operator admins only, like the admin
// audit log that shows them.
func (s *Service) NamesForAudit(ctx context.Context, a Actor, entries []AuditEntry) (AuditNames, error) {
	if !a.IsOperatorAdmin() {
		return nil, errForbidden("")
	}
	ids := map[string][]string{} // type → ids, each once, in order of first mention
	names := AuditNames{}
	want := func(typ, id string) {
		key := NameKey(typ, id)
		if _, seen := names[key]; seen || id == "" || !store.IsAuditNameType(typ) {
			return
		}
		names[key] = "" // an object since deleted keeps the empty name
		ids[typ] = append(ids[typ], id)
	}
	for _, e := range entries {
		if e.ActorType == string(ActorUser) || e.ActorType == string(ActorAPIKey) || e.ActorType == string(ActorClient) {
			want(e.ActorType, e.ActorID)
		}
		want(e.TargetType, e.TargetID)
		want("organization", e.OrgID)
	}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		for typ, list := range ids {
			found, err := tx.AuditNames(ctx, typ, list)
			if err != nil {
				return err
			}
			for id, name := range found {
				names[NameKey(typ, id)] = name
			}
		}
		return nil
	})
	if err != nil {
		return nil, errInternal("name audit entries: %w", err)
	}
	return names, nil
}

// AuditActions lists the actions that occur in the audit log, sorted, for
// the log's action filter. Operator admins only.
func (s *Service) AuditActions(ctx context.Context, a Actor) ([]string, error) {
	if !a.IsOperatorAdmin() {
		return nil, errForbidden("")
	}
	var out []string
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.AuditActions(ctx)
		return err
	})
	if err != nil {
		return nil, errInternal("list audit actions: %w", err)
	}
	return out, nil
}
