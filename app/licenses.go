package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"optare/store"
)

// License check codes (SPEC §4).
const (
	CodeValid           = "VALID"
	CodeNoSubscription  = "NO_SUBSCRIPTION"
	CodeExpired         = "EXPIRED"
	CodeCancelled       = "CANCELLED"
	CodeNoSeat          = "NO_SEAT"
	CodeProductNotFound = "PRODUCT_NOT_FOUND"
	CodeUserDisabled    = "USER_DISABLED"
)

// LicenseQuery asks whether a user may use a product now. UserID may be
// empty when the actor is the user.
type LicenseQuery struct {
	Product string `json:"product"` // id or slug
	UserID  string `json:"user_id"`
}

// License is the answer of the license check, valid or not.
type License struct {
	Valid        bool                 `json:"valid"`
	Code         string               `json:"code"`
	UserID       string               `json:"user_id"`
	Product      *ProductAccess       `json:"product,omitempty"`
	Subscription *LicenseSubscription `json:"subscription,omitempty"`
	Features     []string             `json:"features"`
}

// LicenseSubscription is the part of the subscription a license shows.
type LicenseSubscription struct {
	ID         string     `json:"id"`
	Status     string     `json:"status"`
	EndDate    *time.Time `json:"end_date"`
	TotalSeats int        `json:"total_seats"`
	SeatsUsed  int        `json:"seats_used"`
}

// CheckLicense answers whether a user may use a product now. A user checks
// themself; an API key (or an admin) checks users of the organizations it
// reaches. The common path (the user holds a seat) only reads; the first
// use while seats are free assigns one automatically, which writes once.
func (s *Service) CheckLicense(ctx context.Context, a Actor, q LicenseQuery) (License, error) {
	q.Product, q.UserID = strings.TrimSpace(q.Product), strings.TrimSpace(q.UserID)
	if q.UserID == "" && a.Kind == ActorUser {
		q.UserID = a.ID
	}
	f := fields{}
	if q.Product == "" {
		f.add("product", "Name the product (slug or id).")
	}
	if q.UserID == "" {
		f.add("user_id", "Name the user to check.")
	}
	if err := f.err(); err != nil {
		return License{}, err
	}
	var lic License
	var sub store.Subscription
	assign := false
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		lic, sub, assign, err = readLicense(ctx, tx, a, q)
		return err
	})
	if err != nil || !assign {
		return lic, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.Subscription(ctx, sub.ID)
		if err != nil {
			return errInternal("read subscription: %w", err)
		}
		_, err = s.assignSeat(ctx, tx, a, row, lic.UserID, true)
		switch e := AsError(err); {
		case err == nil:
			row.SeatsUsed++
			lic = licenseFor(lic, row, tx.Now, CodeValid)
		case e.Code == "seat_held":
			lic = licenseFor(lic, row, tx.Now, CodeValid)
		case e.Code == "no_free_seat":
			lic = licenseFor(lic, row, tx.Now, CodeNoSeat)
		default:
			return err
		}
		return nil
	})
	return lic, err
}

// readLicense decides everything a read can: the answer, or that a seat
// should be assigned (then the subscription to assign it in).
func readLicense(ctx context.Context, tx *store.Tx, a Actor, q LicenseQuery) (License, store.Subscription, bool, error) {
	lic := License{Features: []string{}, UserID: q.UserID}
	var sub store.Subscription
	u, err := tx.User(ctx, q.UserID)
	if err == nil && a.ID != u.ID && !a.IsOrgAdmin(u.PrimaryOrgID) {
		err = store.ErrNotFound // out of reach: not found, whether or not it exists
	}
	if errors.Is(err, store.ErrNotFound) {
		return lic, sub, false, &Error{Kind: KindNotFound, Message: "User not found.", Fields: map[string]string{"user_id": "No such user."}}
	}
	if err != nil {
		return lic, sub, false, errInternal("read user: %w", err)
	}
	p, err := tx.Product(ctx, q.Product)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !p.ArchivedAt.IsZero()) {
		lic.Code = CodeProductNotFound
		return lic, sub, false, nil
	}
	if err != nil {
		return lic, sub, false, errInternal("read product: %w", err)
	}
	prod := productFromRow(p)
	lic.Product = &ProductAccess{ID: prod.ID, Slug: prod.Slug, Name: prod.Name, Description: prod.Description, Features: prod.Features}
	lic.Features = prod.Features
	if u.Disabled {
		lic.Code = CodeUserDisabled
		return lic, sub, false, nil
	}
	sub, err = tx.CurrentSubscription(ctx, u.PrimaryOrgID, p.ID)
	if errors.Is(err, store.ErrNotFound) {
		lic.Code = CodeNoSubscription
		return lic, sub, false, nil
	}
	if err != nil {
		return lic, sub, false, errInternal("read subscription: %w", err)
	}
	switch effectiveStatus(sub, tx.Now) {
	case StatusExpired:
		return licenseFor(lic, sub, tx.Now, CodeExpired), sub, false, nil
	case StatusCancelled:
		return licenseFor(lic, sub, tx.Now, CodeCancelled), sub, false, nil
	}
	held, err := tx.HasSeat(ctx, sub.ID, u.ID)
	if err != nil {
		return lic, sub, false, errInternal("read seat: %w", err)
	}
	if held {
		return licenseFor(lic, sub, tx.Now, CodeValid), sub, false, nil
	}
	if sub.AutoAssign && sub.SeatsUsed < sub.TotalSeats {
		return lic, sub, true, nil
	}
	return licenseFor(lic, sub, tx.Now, CodeNoSeat), sub, false, nil
}

func licenseFor(lic License, sub store.Subscription, now time.Time, code string) License {
	s := subFromRow(sub, now)
	lic.Code, lic.Valid = code, code == CodeValid
	lic.Subscription = &LicenseSubscription{ID: s.ID, Status: s.Status, EndDate: s.EndDate, TotalSeats: s.TotalSeats, SeatsUsed: s.SeatsUsed}
	if !lic.Valid {
		lic.Features = []string{}
	}
	return lic
}
