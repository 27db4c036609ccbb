package app

import (
	"context"
	"errors"

	"optare/store"
)

// AuditNames maps what audit entries name by id to what people call it:
// "organization:org_…" → "Acme", "user:user_…" → "Olga <olga@acme.test>".
// Keys are NameKey(type, id); a missing key is an object since deleted.
type AuditNames map[string]string

// NameKey is the AuditNames key of an object of a type ("organization",
// "user", "product", "subscription", "client", "api_key") and id.
func NameKey(typ, id string) string { return typ + ":" + id }

// NamesForAudit resolves the actors, targets and organizations of audit
// entries to names, in one read, so the log can show and link them.
// Operator admins only, like the admin audit log that shows them.
func (s *Service) NamesForAudit(ctx context.Context, a Actor, entries []AuditEntry) (AuditNames, error) {
	if !a.IsOperatorAdmin() {
		return nil, errForbidden("")
	}
	names := AuditNames{}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		for _, e := range entries {
			if e.ActorType == string(ActorUser) || e.ActorType == string(ActorAPIKey) || e.ActorType == string(ActorClient) {
				if err := nameOf(ctx, tx, names, e.ActorType, e.ActorID); err != nil {
					return err
				}
			}
			if err := nameOf(ctx, tx, names, e.TargetType, e.TargetID); err != nil {
				return err
			}
			if err := nameOf(ctx, tx, names, "organization", e.OrgID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, errInternal("name audit entries: %w", err)
	}
	return names, nil
}

// nameOf adds the name of one object to names, once; objects of other types
// and objects that no longer exist are left out.
func nameOf(ctx context.Context, tx *store.Tx, names AuditNames, typ, id string) error {
	key := NameKey(typ, id)
	if id == "" {
		return nil
	}
	if _, done := names[key]; done {
		return nil
	}
	var name string
	var err error
	switch typ {
	case "organization":
		var o store.Organization
		o, err = tx.Organization(ctx, id)
		name = o.Name
	case "user":
		var u store.User
		u, err = tx.User(ctx, id)
		name = u.Name
		if name == "" {
			name = u.Email
		}
	case "product":
		var p store.Product
		p, err = tx.Product(ctx, id)
		name = p.Name
	case "subscription":
		var sub store.Subscription
		if sub, err = tx.Subscription(ctx, id); err == nil {
			var p store.Product
			var o store.Organization
			if p, err = tx.Product(ctx, sub.ProductID); err == nil {
				if o, err = tx.Organization(ctx, sub.OrgID); err == nil {
					name = p.Name + " for " + o.Name
				}
			}
		}
	case "client":
		var c store.Client
		c, err = tx.Client(ctx, id)
		name = c.Name
	case "api_key":
		var k store.APIKey
		k, err = tx.APIKey(ctx, id)
		name = k.Name
	default:
		return nil
	}
	if errors.Is(err, store.ErrNotFound) {
		names[key] = ""
		return nil
	}
	if err != nil {
		return err
	}
	names[key] = name
	return nil
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
