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
	// facts a licence token or an activation needs beyond the answer
	orgID   string
	product store.Product
}

// LicenseSubscription is the part of the subscription a license shows.
type LicenseSubscription struct {
	ID         string     `json:"id"`
	Status     string     `json:"status"`
	EndDate    *time.Time `json:"end_date"`
	TotalSeats int        `json:"total_seats"`
	SeatsUsed  int        `json:"seats_used"`
}

// check trims q, lets a user name themself by default and names what is
// missing in f (userMissing for the user).
func (q *LicenseQuery) check(f fields, a Actor, userMissing string) {
	q.Product, q.UserID = strings.TrimSpace(q.Product), strings.TrimSpace(q.UserID)
	if q.UserID == "" && a.Kind == ActorUser {
		q.UserID = a.ID
	}
	if q.Product == "" {
		f.add("product", "Name the product (slug or id).")
	}
	if q.UserID == "" {
		f.add("user_id", userMissing)
	}
}

// CheckLicense answers whether a user may use a product now. A user checks
// themself; an API key (or an admin) checks users of the organizations it
// reaches. The common path (the user holds a seat) only reads; the first
// use while seats are free assigns one automatically, which writes once.
func (s *Service) CheckLicense(ctx context.Context, a Actor, q LicenseQuery) (lic License, err error) {
	f := fields{}
	q.check(f, a, "Name the user to check.")
	if err := f.err(); err != nil {
		return License{}, err
	}
	facts, now, err := s.licenseFacts(ctx, q.UserID, q.Product)
	defer func() {
		if err == nil {
			s.recordLicenseCheck(a, facts.UserOrgID, lic)
		}
	}()
	lic, sub, assign, err := decideLicense(facts, now, err, a, q)
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

// decideLicense decides everything the one read allows: the answer, or
// that a seat should be assigned (then the subscription to assign it in).
func decideLicense(facts store.LicenseFacts, now time.Time, err error, a Actor, q LicenseQuery) (License, store.Subscription, bool, error) {
	lic := License{Features: []string{}, UserID: q.UserID}
	if err == nil && a.ID != facts.UserID && !a.IsOrgAdmin(facts.UserOrgID) {
		err = store.ErrNotFound // out of reach: not found, whether or not it exists
	}
	if errors.Is(err, store.ErrNotFound) {
		return lic, store.Subscription{}, false, &Error{Kind: KindNotFound, Message: "User not found.", Fields: map[string]string{"user_id": "No such user."}}
	}
	if err != nil {
		return lic, store.Subscription{}, false, errInternal("read license: %w", err)
	}
	sub, hasSeat := decidingSubscription(facts.Subscriptions)
	if facts.Product.ID == "" || !facts.Product.ArchivedAt.IsZero() {
		lic.Code = CodeProductNotFound
		return lic, sub, false, nil
	}
	lic.orgID, lic.product = facts.UserOrgID, facts.Product
	prod := productFromRow(facts.Product)
	lic.Product = &ProductAccess{ID: prod.ID, Slug: prod.Slug, Name: prod.Name, Description: prod.Description, Features: prod.Features}
	// Top-level features are what the user may use: empty for every
	// refusal (licenseFor sets them for VALID only).
	switch {
	case facts.UserDisabled:
		lic.Code = CodeUserDisabled
		return lic, sub, false, nil
	case sub.ID == "":
		lic.Code = CodeNoSubscription
		return lic, sub, false, nil
	}
	switch effectiveStatus(sub, now) {
	case StatusExpired:
		return licenseFor(lic, sub, now, CodeExpired), sub, false, nil
	case StatusCancelled:
		return licenseFor(lic, sub, now, CodeCancelled), sub, false, nil
	}
	if hasSeat {
		return licenseFor(lic, sub, now, CodeValid), sub, false, nil
	}
	if sub.AutoAssign && sub.SeatsUsed < sub.TotalSeats {
		return lic, sub, true, nil
	}
	return licenseFor(lic, sub, now, CodeNoSeat), sub, false, nil
}

// decidingSubscription is the subscription that decides a licence among an
// organization's subscriptions to a product: the live (active or trial)
// one if there is one, else the newest (subs come newest first); ID empty
// when there is none.
func decidingSubscription(subs []store.LicenseSubscription) (store.Subscription, bool) {
	for _, s := range subs {
		if isLive(s.Status) {
			return s.Subscription, s.HasSeat
		}
	}
	if len(subs) > 0 {
		return subs[0].Subscription, subs[0].HasSeat
	}
	return store.Subscription{}, false
}

func licenseFor(lic License, sub store.Subscription, now time.Time, code string) License {
	s := subFromRow(sub, now)
	lic.Code, lic.Valid = code, code == CodeValid
	lic.Subscription = &LicenseSubscription{ID: s.ID, Status: s.Status, EndDate: s.EndDate, TotalSeats: s.TotalSeats, SeatsUsed: s.SeatsUsed}
	lic.Features = []string{}
	if lic.Valid && lic.Product != nil {
		lic.Features = lic.Product.Features
	}
	return lic
}
