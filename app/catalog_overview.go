package app

import (
	"context"
	"time"

	"optare/store"
)

// Overview is what the admin dashboard shows about the whole instance.
type Overview struct {
	Organizations    int
	Users            int
	Clients          int
	SignIns24h       int
	FailedSignIns24h int
	Recent           []AuditEntry
	// The catalogue: products in it, live subscriptions and their seats.
	Products, ActiveSubscriptions, SeatsUsed, SeatsTotal int
}

// AdminOverview gathers the admin dashboard's figures in one snapshot.
// Operator admins only.
func (s *Service) AdminOverview(ctx context.Context, a Actor) (Overview, error) {
	if !a.IsOperatorAdmin() {
		return Overview{}, errForbidden("")
	}
	var o Overview
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		if o.Organizations, err = tx.CountOrganizations(ctx); err != nil {
			return err
		}
		if o.Users, err = tx.CountUsers(ctx); err != nil {
			return err
		}
		if o.Products, err = tx.CountProducts(ctx); err != nil {
			return err
		}
		if o.ActiveSubscriptions, o.SeatsUsed, o.SeatsTotal, err = tx.SubscriptionTotals(ctx); err != nil {
			return err
		}
		if o.Clients, err = tx.CountClients(ctx); err != nil {
			return err
		}
		since := tx.Now.Add(-24 * time.Hour)
		if o.SignIns24h, err = tx.CountAudit(ctx, actionLogin, OutcomeSuccess, "", "", since); err != nil {
			return err
		}
		if o.FailedSignIns24h, err = tx.CountAudit(ctx, actionLogin, OutcomeFailure, "", "", since); err != nil {
			return err
		}
		rows, err := tx.AuditEntries(ctx, store.AuditFilter{Limit: 10})
		for _, r := range rows {
			o.Recent = append(o.Recent, auditFromRow(r))
		}
		return err
	})
	if err != nil {
		return Overview{}, errInternal("admin overview: %w", err)
	}
	return o, nil
}

// OrgSubscriptionCount counts the actor's organization's active and trial
// subscriptions (the portal dashboard).
func (s *Service) OrgSubscriptionCount(ctx context.Context, a Actor) (int, error) {
	var n int
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		n, err = tx.CountLiveSubscriptionsOfOrg(ctx, a.OrgID)
		return err
	})
	if err != nil {
		return 0, errInternal("count subscriptions: %w", err)
	}
	return n, nil
}
