package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"optare/store"
)

// transitions is the subscription status state machine. Keeping a status is
// always allowed; everything not listed is refused.
//
//	trial     → active | cancelled | expired
//	active    → cancelled | expired
//	cancelled → active   (reactivation: only while no other subscription of
//	                      the organization to the product is active or trial)
//	expired   → active   (renewal: with an end date in the future, or none)
//
// A live (active or trial) subscription whose end_date has passed reads as
// expired at once; the sweep records it as such (subscription.expired).
var transitions = map[string][]string{
	StatusTrial:     {StatusActive, StatusCancelled, StatusExpired},
	StatusActive:    {StatusCancelled, StatusExpired},
	StatusCancelled: {StatusActive},
	StatusExpired:   {StatusActive},
}

// Transitions describes the state machine for documentation (openapi.json).
const Transitions = "trial → active | cancelled | expired; active → cancelled | expired; " +
	"cancelled → active (reactivation, only while no other active or trial subscription to the product exists); " +
	"expired → active (renewal, with an end_date in the future or none). A live subscription whose end_date has passed reads as expired."

func checkTransition(from, to string) error {
	if from == to || slices.Contains(transitions[from], to) {
		return nil
	}
	return &Error{Kind: KindConflict, Code: "invalid_transition",
		Message: fmt.Sprintf("A subscription cannot go from %s to %s.", from, to),
		Fields:  map[string]string{"status": fmt.Sprintf("Not allowed from %s to %s.", from, to)}}
}

// expireDue records the expiry of live subscriptions whose end date has
// passed, in tx: for one organization and product, or (orgID "") a batch of
// any.
func (s *Service) expireDue(ctx context.Context, tx *store.Tx, orgID, productID string) error {
	_, err := s.expireBatch(ctx, tx, orgID, productID, sweepBatch)
	return err
}

func (s *Service) expireBatch(ctx context.Context, tx *store.Tx, orgID, productID string, limit int) (int, error) {
	rows, err := tx.DueSubscriptions(ctx, orgID, productID, limit)
	if err != nil {
		return 0, errInternal("due subscriptions: %w", err)
	}
	for _, r := range rows {
		if err := s.recordExpiry(ctx, tx, &r); err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

// recordExpiry writes a live row past its end date as expired, with its
// audit entry by the system actor.
func (s *Service) recordExpiry(ctx context.Context, tx *store.Tx, r *store.Subscription) error {
	from := r.Status
	r.Status, r.UpdatedAt = StatusExpired, tx.Now
	if err := tx.UpdateSubscription(ctx, *r); err != nil {
		return errInternal("expire subscription: %w", err)
	}
	if err := s.emit(ctx, tx, r.OrgID, "subscription.expired", subFromRow(*r, tx.Now)); err != nil {
		return err
	}
	return s.audit(ctx, tx, System(), AuditRecord{Action: "subscription.expired", TargetType: "subscription",
		TargetID: r.ID, OrgID: r.OrgID, Details: map[string]any{"from": from, "end_date": r.EndDate}})
}

// SubscriptionPatch changes a subscription; nil fields stay as they are. An
// empty end_date removes the end date.
type SubscriptionPatch struct {
	TotalSeats   *int     `json:"total_seats,omitempty"`
	PricePerSeat *Decimal `json:"price_per_seat,omitempty"`
	Currency     *string  `json:"currency,omitempty"`
	BillingCycle *string  `json:"billing_cycle,omitempty"`
	Status       *string  `json:"status,omitempty"`
	EndDate      *string  `json:"end_date,omitempty"`
	AutoAssign   *bool    `json:"auto_assign,omitempty"`
}

// UpdateSubscription changes seats, price, cycle, status, end date or
// automatic seat assignment. Operator admins only. Lowering total_seats
// below the seats in use and illegal status transitions are conflicts.
func (s *Service) UpdateSubscription(ctx context.Context, a Actor, id string, p SubscriptionPatch) (Subscription, error) {
	if !a.IsOperatorAdmin() {
		return Subscription{}, errForbidden("Only operators can change subscriptions.")
	}
	var sub Subscription
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.Subscription(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound("Subscription")
		}
		if err != nil {
			return errInternal("read subscription: %w", err)
		}
		if effectiveStatus(row, tx.Now) == StatusExpired && row.Status != StatusExpired {
			if err := s.recordExpiry(ctx, tx, &row); err != nil {
				return err
			}
		}
		before := subFromRow(row, tx.Now)
		f := fields{}
		checkSubscriptionFields(f, &row, p.TotalSeats, p.PricePerSeat, p.Currency, p.BillingCycle, p.EndDate)
		if p.Status != nil {
			checkStatus(f, *p.Status)
			row.Status = *p.Status
		}
		if p.AutoAssign != nil {
			row.AutoAssign = *p.AutoAssign
		}
		if err := f.err(); err != nil {
			return err
		}
		if err := checkTransition(before.Status, row.Status); err != nil {
			return err
		}
		checkLiveEnd(f, row, tx.Now)
		if err := f.err(); err != nil {
			return err
		}
		if row.TotalSeats < row.SeatsUsed {
			return &Error{Kind: KindConflict, Code: "seats_in_use",
				Message: fmt.Sprintf("%d seats are in use: unassign seats before lowering total_seats below that.", row.SeatsUsed),
				Fields:  map[string]string{"total_seats": fmt.Sprintf("%d seats are in use.", row.SeatsUsed)}}
		}
		row.UpdatedAt = tx.Now
		if err := tx.UpdateSubscription(ctx, row); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errLiveExists()
			}
			return errInternal("update subscription: %w", err)
		}
		sub = subFromRow(row, tx.Now)
		if err := s.emit(ctx, tx, sub.OrganizationID, subscriptionEvent(sub.Status, before.Status != sub.Status), sub); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: subscriptionAction(before.Status, sub.Status), TargetType: "subscription",
			TargetID: sub.ID, OrgID: sub.OrganizationID, Details: subscriptionChanges(before, sub)})
	})
	return sub, err
}

// CancelSubscription sets a subscription's status to cancelled.
func (s *Service) CancelSubscription(ctx context.Context, a Actor, id string) (Subscription, error) {
	status := StatusCancelled
	return s.UpdateSubscription(ctx, a, id, SubscriptionPatch{Status: &status})
}

func subscriptionAction(from, to string) string {
	switch {
	case from == to:
		return "subscription.updated"
	case to == StatusCancelled:
		return "subscription.cancelled"
	case from == StatusCancelled:
		return "subscription.reactivated"
	case from == StatusExpired:
		return "subscription.renewed"
	}
	return "subscription.status_changed"
}

func subscriptionChanges(before, after Subscription) map[string]any {
	out := map[string]any{}
	change := func(name string, from, to any) {
		if fmt.Sprint(from) != fmt.Sprint(to) {
			out[name] = map[string]any{"from": from, "to": to}
		}
	}
	change("total_seats", before.TotalSeats, after.TotalSeats)
	change("price_per_seat", before.PricePerSeat.String(), after.PricePerSeat.String())
	change("currency", before.Currency, after.Currency)
	change("billing_cycle", before.BillingCycle, after.BillingCycle)
	change("status", before.Status, after.Status)
	change("auto_assign", before.AutoAssign, after.AutoAssign)
	change("end_date", endString(before.EndDate), endString(after.EndDate))
	return out
}

func endString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
