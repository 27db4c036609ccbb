package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"optare/store"
)

// Subscription statuses (SPEC §4); see catalog_subscription_changes.go for the
// transitions between them.
const (
	StatusActive    = "active"
	StatusTrial     = "trial"
	StatusCancelled = "cancelled"
	StatusExpired   = "expired"
)

// Billing cycles.
const (
	CycleMonthly = "monthly"
	CycleYearly  = "yearly"
)

// Seat limits of one subscription.
const (
	MinSeats = 1
	MaxSeats = 1_000_000
)

// Subscription is an organization's subscription to a product, in the JSON
// shape of the guide.
type Subscription struct {
	ID             string     `json:"id"`
	OrganizationID string     `json:"organization_id"`
	ProductID      string     `json:"product_id"`
	TotalSeats     int        `json:"total_seats"`
	SeatsUsed      int        `json:"seats_used"`
	PricePerSeat   Money      `json:"price_per_seat"`
	Currency       string     `json:"currency"`
	BillingCycle   string     `json:"billing_cycle"`
	Status         string     `json:"status"`
	AutoAssign     bool       `json:"auto_assign"`
	EndDate        *time.Time `json:"end_date"`
	CreatedAt      time.Time  `json:"createdAt"`
	UpdatedAt      time.Time  `json:"updatedAt"`
}

// subFromRow applies end_date at now: a live subscription whose end date
// has passed reads as expired everywhere, before the sweep records it.
func subFromRow(r store.Subscription, now time.Time) Subscription {
	s := Subscription{ID: r.ID, OrganizationID: r.OrgID, ProductID: r.ProductID, TotalSeats: r.TotalSeats,
		SeatsUsed: r.SeatsUsed, PricePerSeat: Money(r.PriceMinor), Currency: r.Currency, BillingCycle: r.BillingCycle,
		Status: effectiveStatus(r, now), AutoAssign: r.AutoAssign, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if !r.EndDate.IsZero() {
		end := r.EndDate
		s.EndDate = &end
	}
	return s
}

func effectiveStatus(r store.Subscription, now time.Time) string {
	if isLive(r.Status) && !r.EndDate.IsZero() && !r.EndDate.After(now) {
		return StatusExpired
	}
	return r.Status
}

func isLive(status string) bool { return status == StatusActive || status == StatusTrial }

// SubscriptionInput creates a subscription. Organization and product may be
// named by id or slug; the price is a decimal with at most two decimals.
type SubscriptionInput struct {
	OrganizationID string  `json:"organization_id"`
	ProductID      string  `json:"product_id"`
	TotalSeats     int     `json:"total_seats"`
	PricePerSeat   Decimal `json:"price_per_seat"`
	Currency       string  `json:"currency"`
	BillingCycle   string  `json:"billing_cycle"`
	Status         string  `json:"status"`
	EndDate        string  `json:"end_date"`
	AutoAssign     *bool   `json:"auto_assign"`
}

// checkSubscriptionFields validates the fields shared by create and update
// and writes them into row.
func checkSubscriptionFields(f fields, row *store.Subscription, seats *int, price *Decimal, currency, cycle, end *string) {
	if seats != nil {
		if *seats < MinSeats || *seats > MaxSeats {
			f.add("total_seats", fmt.Sprintf("Use a whole number of seats from %d to %d.", MinSeats, MaxSeats))
		}
		row.TotalSeats = *seats
	}
	if price != nil {
		m, msg := parseMoney(string(*price))
		if msg != "" {
			f.add("price_per_seat", msg)
		}
		row.PriceMinor = int64(m)
	}
	if currency != nil {
		c := strings.ToUpper(strings.TrimSpace(*currency))
		if len(c) != 3 || strings.ContainsFunc(c, func(r rune) bool { return r < 'A' || r > 'Z' }) {
			f.add("currency", "Use a three-letter ISO currency code, like USD.")
		}
		row.Currency = c
	}
	if cycle != nil {
		if *cycle != CycleMonthly && *cycle != CycleYearly {
			f.add("billing_cycle", "Choose monthly or yearly.")
		}
		row.BillingCycle = *cycle
	}
	if end != nil {
		row.EndDate = time.Time{}
		if strings.TrimSpace(*end) != "" {
			t, msg := parseEndDate(*end)
			if msg != "" {
				f.add("end_date", msg)
			}
			row.EndDate = t
		}
	}
}

func checkStatus(f fields, status string) {
	switch status {
	case StatusActive, StatusTrial, StatusCancelled, StatusExpired:
	default:
		f.add("status", "Choose active, trial, cancelled or expired.")
	}
}

// checkLiveEnd refuses a live status with an end date that has passed: it
// would read as expired at once.
func checkLiveEnd(f fields, row store.Subscription, now time.Time) {
	if isLive(row.Status) && !row.EndDate.IsZero() && !row.EndDate.After(now) {
		f.add("end_date", "An active or trial subscription needs an end date in the future (or none).")
	}
}

func errLiveExists() *Error {
	return &Error{Kind: KindConflict, Code: "subscription_exists",
		Message: "The organization already has an active or trial subscription to this product."}
}

// CreateSubscription subscribes an organization to a product. Operator
// admins only; at most one active or trial subscription per organization
// and product.
func (s *Service) CreateSubscription(ctx context.Context, a Actor, in SubscriptionInput) (Subscription, error) {
	if !a.IsOperatorAdmin() {
		return Subscription{}, errForbidden("Only operators can create subscriptions.")
	}
	f := fields{}
	if strings.TrimSpace(in.OrganizationID) == "" {
		f.add("organization_id", "Choose an organization.")
	}
	if strings.TrimSpace(in.ProductID) == "" {
		f.add("product_id", "Choose a product.")
	}
	if in.Currency == "" {
		in.Currency = "USD"
	}
	if in.PricePerSeat == "" {
		in.PricePerSeat = "0"
	}
	if in.Status == "" {
		in.Status = StatusActive
	}
	row := store.Subscription{ID: newID(prefixSub), Status: in.Status, AutoAssign: in.AutoAssign == nil || *in.AutoAssign}
	checkSubscriptionFields(f, &row, &in.TotalSeats, &in.PricePerSeat, &in.Currency, &in.BillingCycle, &in.EndDate)
	checkStatus(f, in.Status)
	checkLiveEnd(f, row, s.now())
	if err := f.err(); err != nil {
		return Subscription{}, err
	}
	var sub Subscription
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		org, err := tx.Organization(ctx, strings.TrimSpace(in.OrganizationID))
		if errors.Is(err, store.ErrNotFound) {
			return &Error{Kind: KindNotFound, Message: "Organization not found.", Fields: map[string]string{"organization_id": "No such organization."}}
		}
		if err != nil {
			return errInternal("read organization: %w", err)
		}
		prod, err := tx.Product(ctx, strings.TrimSpace(in.ProductID))
		if errors.Is(err, store.ErrNotFound) {
			return &Error{Kind: KindNotFound, Message: "Product not found.", Fields: map[string]string{"product_id": "No such product."}}
		}
		if err != nil {
			return errInternal("read product: %w", err)
		}
		if !prod.ArchivedAt.IsZero() {
			return errInvalid(map[string]string{"product_id": "This product is archived: restore it first."})
		}
		// An overdue live subscription must not block its successor.
		if err := s.expireDue(ctx, tx, org.ID, prod.ID); err != nil {
			return err
		}
		row.OrgID, row.ProductID, row.CreatedAt, row.UpdatedAt = org.ID, prod.ID, tx.Now, tx.Now
		if err := tx.InsertSubscription(ctx, row); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errLiveExists()
			}
			return errInternal("insert subscription: %w", err)
		}
		sub = subFromRow(row, tx.Now)
		if err := s.emit(ctx, tx, org.ID, "subscription.created", sub); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "subscription.created", TargetType: "subscription", TargetID: sub.ID,
			OrgID: org.ID, Details: map[string]any{"product_id": prod.ID, "product": prod.Slug, "total_seats": sub.TotalSeats,
				"price_per_seat": sub.PricePerSeat.String(), "currency": sub.Currency, "billing_cycle": sub.BillingCycle,
				"status": sub.Status, "end_date": sub.EndDate}})
	})
	return sub, err
}
