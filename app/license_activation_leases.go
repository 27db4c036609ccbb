package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"optare/store"
)

// HeartbeatInput names the activation whose lease to extend.
type HeartbeatInput struct {
	ActivationID string `json:"activation_id"`
}

// canReachActivation: the activation's user, its organization's admins and
// API keys, and operators.
func canReachActivation(a Actor, r store.Activation) bool {
	return (a.Kind == ActorUser && a.ID == r.UserID) || a.IsOrgAdmin(r.OrgID)
}

// Heartbeat extends a live lease by the product's lease TTL and answers
// like the license check. A lease that has expired (or was released or
// swept) answers LEASE_EXPIRED: the app activates again. A subscription
// that stopped being live, a disabled user or a lost seat answer their
// codes and extend nothing. Heartbeats are not audited: the activation's
// last_heartbeat_at records them.
func (s *Service) Heartbeat(ctx context.Context, a Actor, in HeartbeatInput) (LicenseLease, error) {
	id := strings.TrimSpace(in.ActivationID)
	if id == "" {
		return LicenseLease{}, errInvalid(map[string]string{"activation_id": "Name the activation."})
	}
	var out LicenseLease
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		out = LicenseLease{License: License{Features: []string{}, Code: CodeLeaseExpired}}
		act, err := tx.ActivationByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return errInternal("read activation: %w", err)
		}
		if !canReachActivation(a, act) {
			return nil // out of reach reads as gone
		}
		out.UserID = act.UserID
		if !act.LeaseExpiresAt.After(tx.Now) {
			return nil
		}
		prod, sub, code, err := leaseFacts(ctx, tx, act)
		if err != nil {
			return err
		}
		p := productFromRow(prod)
		out.Product = &ProductAccess{ID: p.ID, Slug: p.Slug, Name: p.Name, Description: p.Description, Features: p.Features}
		out.Features = p.Features
		out.License = licenseFor(out.License, sub, tx.Now, code)
		if code != CodeValid {
			return nil
		}
		until := tx.Now.Add(time.Duration(prod.LeaseTTL) * time.Second)
		if err := tx.RenewActivation(ctx, act.ID, tx.Now, until); err != nil {
			return errInternal("renew lease: %w", err)
		}
		act.LastHeartbeatAt, act.LeaseExpiresAt = tx.Now, until
		v := activationFromRow(act, tx.Now)
		out.Activation = &v
		return nil
	})
	return out, err
}

// leaseFacts reads what a heartbeat checks: the product, the subscription
// and the code they give (the user's state and, unless floating, the seat).
func leaseFacts(ctx context.Context, tx *store.Tx, act store.Activation) (store.Product, store.Subscription, string, error) {
	prod, err := tx.Product(ctx, act.ProductID)
	if err != nil {
		return prod, store.Subscription{}, "", errInternal("read product: %w", err)
	}
	sub, err := tx.Subscription(ctx, act.SubscriptionID)
	if err != nil {
		return prod, sub, "", errInternal("read subscription: %w", err)
	}
	u, err := tx.User(ctx, act.UserID)
	if err != nil {
		return prod, sub, "", errInternal("read user: %w", err)
	}
	code := statusCode(sub, tx.Now)
	switch {
	case !prod.ArchivedAt.IsZero():
		code = CodeProductNotFound
	case u.Disabled:
		code = CodeUserDisabled
	case code == CodeValid && !prod.Floating:
		held, err := tx.HasSeat(ctx, sub.ID, act.UserID)
		if err != nil {
			return prod, sub, "", errInternal("read seat: %w", err)
		}
		if !held {
			code = CodeNoSeat
		}
	}
	return prod, sub, code, nil
}

// Deactivate releases a machine's activation and its lease at once: its
// user, the organization's admins and operators may.
func (s *Service) Deactivate(ctx context.Context, a Actor, id string) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		act, err := tx.ActivationByID(ctx, strings.TrimSpace(id))
		if errors.Is(err, store.ErrNotFound) || (err == nil && !canReachActivation(a, act)) {
			return errNotFound("Activation")
		}
		if err != nil {
			return errInternal("read activation: %w", err)
		}
		if err := tx.DeleteActivation(ctx, act.ID); err != nil {
			return errInternal("delete activation: %w", err)
		}
		act.LeaseExpiresAt = tx.Now
		if err := s.emit(ctx, tx, act.OrgID, "license.deactivated", activationFromRow(act, tx.Now)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "license.deactivated", TargetType: "activation", TargetID: act.ID, OrgID: act.OrgID,
			Details: map[string]any{"user_id": act.UserID, "product_id": act.ProductID, "subscription_id": act.SubscriptionID, "name": act.Name}})
	})
}

// ActivationQuery filters activations; the actor's reach narrows it.
type ActivationQuery struct {
	SubscriptionID string
	UserID         string
	Cursor         string
	Limit          int
}

// ActivationPage is one page of activations.
type ActivationPage struct {
	Activations []Activation `json:"activations"`
	NextCursor  Cursor       `json:"next_cursor"`
}

// ListActivations lists machine activations: operators all, an
// organization's admins and API keys their organization's, a member their own.
func (s *Service) ListActivations(ctx context.Context, a Actor, q ActivationQuery) (ActivationPage, error) {
	limit := clampLimit(q.Limit)
	f := store.ActivationFilter{SubscriptionID: strings.TrimSpace(q.SubscriptionID), UserID: strings.TrimSpace(q.UserID), After: q.Cursor, Limit: limit + 1}
	switch {
	case a.IsOperatorAdmin():
	case a.IsOrgAdmin(a.OrgID):
		f.OrgID = a.OrgID
	case a.Kind == ActorUser:
		f.UserID = a.ID
	default:
		return ActivationPage{}, errForbidden("")
	}
	page := ActivationPage{Activations: []Activation{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Activations(ctx, f)
		if err != nil {
			return errInternal("list activations: %w", err)
		}
		for i, r := range rows {
			if i == limit {
				page.NextCursor = Cursor(rows[i-1].ID)
				break
			}
			page.Activations = append(page.Activations, activationFromRow(r, tx.Now))
		}
		return nil
	})
	return page, err
}

// sweepLeases removes up to limit expired leases, each audited as
// license.lease_expired by the system, and returns how many it removed.
func (s *Service) sweepLeases(ctx context.Context, tx *store.Tx, limit int) (int64, error) {
	rows, err := tx.ExpiredActivations(ctx, limit)
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		if err := tx.DeleteActivation(ctx, r.ID); err != nil {
			return 0, err
		}
		if err := s.emit(ctx, tx, r.OrgID, "license.deactivated", activationFromRow(r, tx.Now)); err != nil {
			return 0, err
		}
		if err := s.audit(ctx, tx, System(), AuditRecord{Action: "license.lease_expired", TargetType: "activation", TargetID: r.ID, OrgID: r.OrgID,
			Details: map[string]any{"user_id": r.UserID, "product_id": r.ProductID, "subscription_id": r.SubscriptionID, "lease_expired_at": r.LeaseExpiresAt}}); err != nil {
			return 0, err
		}
	}
	return int64(len(rows)), nil
}
