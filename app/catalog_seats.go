package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"optare/store"
)

// Seat is a user holding one seat of a subscription.
type Seat struct {
	UserID     string    `json:"user_id"`
	Email      string    `json:"email"`
	Name       string    `json:"name"`
	AssignedAt time.Time `json:"assigned_at"`
}

// SeatPage is one page of a subscription's seats.
type SeatPage struct {
	Seats      []Seat `json:"seats"`
	NextCursor Cursor `json:"next_cursor"`
}

// seatSubscription loads a subscription for a seat change: operator admins
// and the organization's admins may manage its seats; its members get
// "forbidden", everyone else "not found".
func seatSubscription(ctx context.Context, tx *store.Tx, a Actor, id string) (store.Subscription, error) {
	row, err := tx.Subscription(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.IsOrgAdmin(row.OrgID) && a.OrgID != row.OrgID) {
		return row, errNotFound("Subscription")
	}
	if err != nil {
		return row, errInternal("read subscription: %w", err)
	}
	if !a.IsOrgAdmin(row.OrgID) {
		return row, errForbidden("Only the organization's owners and admins manage its seats.")
	}
	return row, nil
}

// AssignSeat gives a member of the subscription's organization a seat.
func (s *Service) AssignSeat(ctx context.Context, a Actor, subscriptionID, userID string) (Seat, error) {
	userID = strings.TrimSpace(userID)
	if userID == "" {
		return Seat{}, errInvalid(map[string]string{"user_id": "Choose a user."})
	}
	var seat Seat
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := seatSubscription(ctx, tx, a, subscriptionID)
		if err != nil {
			return err
		}
		seat, err = s.assignSeat(ctx, tx, a, row, userID, false)
		return err
	})
	return seat, err
}

// assignSeat counts and inserts in the caller's write transaction: with the
// single writer, no two assignments can both take the last seat.
func (s *Service) assignSeat(ctx context.Context, tx *store.Tx, a Actor, sub store.Subscription, userID string, automatic bool) (Seat, error) {
	if st := effectiveStatus(sub, tx.Now); !isLive(st) {
		return Seat{}, errConflict("subscription_not_live", fmt.Sprintf("The subscription is %s: seats can only be assigned in an active or trial subscription.", st))
	}
	u, err := tx.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return Seat{}, &Error{Kind: KindNotFound, Message: "User not found.", Fields: map[string]string{"user_id": "No such user."}}
	}
	if err != nil {
		return Seat{}, errInternal("read user: %w", err)
	}
	if _, err := tx.Membership(ctx, sub.OrgID, u.ID); errors.Is(err, store.ErrNotFound) {
		return Seat{}, errInvalid(map[string]string{"user_id": "This user is not a member of the subscription's organization."})
	} else if err != nil {
		return Seat{}, errInternal("read membership: %w", err)
	}
	used, err := tx.CountSeats(ctx, sub.ID)
	if err != nil {
		return Seat{}, errInternal("count seats: %w", err)
	}
	if used >= sub.TotalSeats {
		return Seat{}, errConflict("no_free_seat", fmt.Sprintf("All %d seats are taken.", sub.TotalSeats))
	}
	if err := tx.InsertSeat(ctx, sub.ID, u.ID); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Seat{}, errConflict("seat_held", "This user already holds a seat.")
		}
		return Seat{}, errInternal("insert seat: %w", err)
	}
	seat := Seat{UserID: u.ID, Email: u.Email, Name: u.Name, AssignedAt: tx.Now}
	if err := s.emit(ctx, tx, sub.OrgID, "seat.assigned", seatEvent{Seat: seat, SubscriptionID: sub.ID}); err != nil {
		return Seat{}, err
	}
	err = s.audit(ctx, tx, a, AuditRecord{Action: "seat.assigned", TargetType: "subscription", TargetID: sub.ID,
		OrgID: sub.OrgID, Details: map[string]any{"user_id": u.ID, "email": u.Email, "automatic": automatic}})
	return Seat{UserID: u.ID, Email: u.Email, Name: u.Name, AssignedAt: tx.Now}, err
}

// UnassignSeat takes a user's seat back.
func (s *Service) UnassignSeat(ctx context.Context, a Actor, subscriptionID, userID string) error {
	userID = strings.TrimSpace(userID)
	if userID == "" {
		return errInvalid(map[string]string{"user_id": "Choose a user."})
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := seatSubscription(ctx, tx, a, subscriptionID)
		if err != nil {
			return err
		}
		if err := tx.DeleteSeat(ctx, row.ID, userID); errors.Is(err, store.ErrNotFound) {
			return &Error{Kind: KindNotFound, Message: "This user holds no seat in the subscription.", Fields: map[string]string{"user_id": "No seat."}}
		} else if err != nil {
			return errInternal("delete seat: %w", err)
		}
		if err := s.emit(ctx, tx, row.OrgID, "seat.unassigned", map[string]string{"subscription_id": row.ID, "user_id": userID}); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "seat.unassigned", TargetType: "subscription", TargetID: row.ID,
			OrgID: row.OrgID, Details: map[string]any{"user_id": userID}})
	})
}

// ListSeats lists who holds the seats of a subscription.
func (s *Service) ListSeats(ctx context.Context, a Actor, subscriptionID, cursor string, limit int) (SeatPage, error) {
	limit = clampLimit(limit)
	page := SeatPage{Seats: []Seat{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		row, err := seatSubscription(ctx, tx, a, subscriptionID)
		if err != nil {
			return err
		}
		rows, err := tx.Seats(ctx, row.ID, cursor, limit+1)
		if err != nil {
			return errInternal("list seats: %w", err)
		}
		for i, r := range rows {
			if i == limit {
				page.NextCursor = Cursor(rows[i-1].UserID)
				break
			}
			page.Seats = append(page.Seats, Seat{UserID: r.UserID, Email: r.Email, Name: r.Name, AssignedAt: r.AssignedAt})
		}
		return nil
	})
	return page, err
}
