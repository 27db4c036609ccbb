package app

import (
	"context"
	"errors"

	"optare/store"
)

// SubscriptionQuery filters ListSubscriptions; organization and product may
// be ids or slugs, status is the status as read now.
type SubscriptionQuery struct {
	Organization string
	Product      string
	Status       string
	Cursor       string
	Limit        int
}

// SubscriptionPage is one page of subscriptions.
type SubscriptionPage struct {
	Subscriptions []Subscription `json:"subscriptions"`
	NextCursor    Cursor         `json:"next_cursor"`
}

// ListSubscriptions lists subscriptions: every organization's for operator
// admins, the actor's own organization's for everyone else.
func (s *Service) ListSubscriptions(ctx context.Context, a Actor, q SubscriptionQuery) (SubscriptionPage, error) {
	f := fields{}
	if q.Status != "" {
		checkStatus(f, q.Status)
	}
	if err := f.err(); err != nil {
		return SubscriptionPage{}, err
	}
	filter := store.SubscriptionFilter{Status: q.Status, After: q.Cursor, Limit: clampLimit(q.Limit) + 1}
	if q.Organization != "" {
		org, err := s.OrganizationByRef(ctx, a, q.Organization)
		if err != nil {
			return SubscriptionPage{}, err
		}
		filter.OrgID = org.ID
	}
	if !a.IsOperatorAdmin() {
		filter.OrgID = a.OrgID
	}
	if q.Product != "" {
		p, err := s.ProductByRef(ctx, a, q.Product)
		if err != nil {
			return SubscriptionPage{}, err
		}
		filter.ProductID = p.ID
	}
	page := SubscriptionPage{Subscriptions: []Subscription{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Subscriptions(ctx, filter)
		if err != nil {
			return err
		}
		for i, r := range rows {
			if i == filter.Limit-1 {
				page.NextCursor = Cursor(rows[i-1].ID)
				break
			}
			page.Subscriptions = append(page.Subscriptions, subFromRow(r, tx.Now))
		}
		return nil
	})
	if err != nil {
		return SubscriptionPage{}, errInternal("list subscriptions: %w", err)
	}
	return page, nil
}

// SubscriptionByID reads one subscription: any for operator admins, their
// own organization's for everyone else (others are "not found").
func (s *Service) SubscriptionByID(ctx context.Context, a Actor, id string) (Subscription, error) {
	var sub Subscription
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		row, err := tx.Subscription(ctx, id)
		sub = subFromRow(row, tx.Now)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.IsOperatorAdmin() && sub.OrganizationID != a.OrgID) {
		return Subscription{}, errNotFound("Subscription")
	}
	if err != nil {
		return Subscription{}, errInternal("read subscription: %w", err)
	}
	return sub, nil
}
