package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"optare/app/oidc"
	"optare/store"
)

// Refusal codes of activations and heartbeats, in the license check's style.
const (
	CodeTooManyMachines = "TOO_MANY_MACHINES"
	CodeLeaseExpired    = "LEASE_EXPIRED"
)

// Lease timing: a lease lasts the product's lease TTL after the last
// activation or heartbeat.
const (
	DefaultLeaseTTL = 10 * time.Minute
	MinLeaseTTL     = time.Minute
	MaxLeaseTTL     = 24 * time.Hour
)

const prefixActivation = "act_"

// ActivationInput activates a machine. UserID may be empty when the actor
// is the user; Fingerprint identifies the machine (only its SHA-256 is kept).
type ActivationInput struct {
	Product     string `json:"product"`
	UserID      string `json:"user_id"`
	Fingerprint string `json:"fingerprint"`
	Name        string `json:"name"`
}

// Activation is a machine holding a lease on a licence.
type Activation struct {
	ID              string    `json:"id"`
	SubscriptionID  string    `json:"subscription_id"`
	OrganizationID  string    `json:"organization_id"`
	ProductID       string    `json:"product_id"`
	UserID          string    `json:"user_id"`
	Email           string    `json:"email"`
	Name            string    `json:"name"`
	FingerprintHash string    `json:"fingerprint_hash"`
	CreatedAt       time.Time `json:"created_at"`
	LastHeartbeatAt time.Time `json:"last_heartbeat_at"`
	LeaseExpiresAt  time.Time `json:"lease_expires_at"`
	// Live is false once the lease has expired (until the sweep removes it).
	Live bool `json:"live"`
}

func activationFromRow(r store.Activation, now time.Time) Activation {
	return Activation{ID: r.ID, SubscriptionID: r.SubscriptionID, OrganizationID: r.OrgID, ProductID: r.ProductID,
		UserID: r.UserID, Email: r.UserEmail, Name: r.Name, FingerprintHash: r.FingerprintHash, CreatedAt: r.CreatedAt,
		LastHeartbeatAt: r.LastHeartbeatAt, LeaseExpiresAt: r.LeaseExpiresAt, Live: r.LeaseExpiresAt.After(now)}
}

// LicenseLease answers an activation or heartbeat: the license check's
// answer and, when valid, the activation with its lease.
type LicenseLease struct {
	License
	Activation *Activation `json:"activation,omitempty"`
}

// Activate gives a machine a lease on the user's licence: the license
// check (a seat is assigned on first use as there), then, for a floating
// product, at most total_seats live leases across the organization
// (NO_SEAT beyond), or, with machines per seat, at most that many live
// machines for the user (TOO_MANY_MACHINES beyond). Activating a machine
// that holds a live lease renews it. Counting and inserting happen in one
// write transaction holding the subscription's lock, so parallel
// activations never overfill.
func (s *Service) Activate(ctx context.Context, a Actor, in ActivationInput) (LicenseLease, error) {
	in.Product, in.UserID, in.Fingerprint, in.Name = strings.TrimSpace(in.Product), strings.TrimSpace(in.UserID), strings.TrimSpace(in.Fingerprint), strings.TrimSpace(in.Name)
	if in.UserID == "" && a.Kind == ActorUser {
		in.UserID = a.ID
	}
	f := fields{}
	if in.Product == "" {
		f.add("product", "Name the product (slug or id).")
	}
	if in.UserID == "" {
		f.add("user_id", "Name the user.")
	}
	if in.Fingerprint == "" || len(in.Fingerprint) > maxFingerprint {
		f.add("fingerprint", "Send the machine's fingerprint (at most 512 characters).")
	}
	if len([]rune(in.Name)) > 100 {
		f.add("name", "Use at most 100 characters.")
	}
	if err := f.err(); err != nil {
		return LicenseLease{}, err
	}
	facts, now, err := s.db.LicenseFacts(ctx, in.UserID, in.Product)
	lic, sub, assign, err := decideLicense(facts, now, err, a, LicenseQuery{Product: in.Product, UserID: in.UserID})
	if err != nil {
		return LicenseLease{}, err
	}
	prod := facts.Product
	if prod.Floating && (assign || lic.Code == CodeNoSeat) {
		// Floating licences count leases, not named seats.
		lic, assign = licenseFor(lic, sub, now, CodeValid), false
	}
	if !lic.Valid && !assign {
		return LicenseLease{License: lic}, nil
	}
	var out LicenseLease
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		out = LicenseLease{License: lic}
		if err := tx.LockSubscription(ctx, sub.ID); err != nil {
			return errInternal("lock subscription: %w", err)
		}
		row, err := tx.Subscription(ctx, sub.ID)
		if err != nil {
			return errInternal("read subscription: %w", err)
		}
		if code := statusCode(row, tx.Now); code != CodeValid {
			out.License = licenseFor(lic, row, tx.Now, code)
			return nil
		}
		if assign {
			_, err := s.assignSeat(ctx, tx, a, row, lic.UserID, true)
			switch e := AsError(err); {
			case err == nil:
				row.SeatsUsed++
			case e.Code == "no_free_seat":
				out.License = licenseFor(lic, row, tx.Now, CodeNoSeat)
				return nil
			case e.Code != "seat_held":
				return err
			}
		}
		out.License = licenseFor(lic, row, tx.Now, CodeValid)
		return s.leaseMachine(ctx, tx, a, row, prod, in, &out)
	})
	return out, err
}

// statusCode is the license code of a subscription's status at now.
func statusCode(sub store.Subscription, now time.Time) string {
	switch effectiveStatus(sub, now) {
	case StatusExpired:
		return CodeExpired
	case StatusCancelled:
		return CodeCancelled
	}
	return CodeValid
}

// leaseMachine renews the machine's live lease, or counts the live leases
// and inserts a new activation when the product's limit allows it.
func (s *Service) leaseMachine(ctx context.Context, tx *store.Tx, a Actor, sub store.Subscription, prod store.Product, in ActivationInput, out *LicenseLease) error {
	hash := oidc.FingerprintHash(in.Fingerprint)
	until := tx.Now.Add(time.Duration(prod.LeaseTTL) * time.Second)
	old, err := tx.ActivationOfMachine(ctx, sub.ID, out.UserID, hash)
	switch {
	case err == nil && old.LeaseExpiresAt.After(tx.Now):
		if err := tx.RenewActivation(ctx, old.ID, tx.Now, until); err != nil {
			return errInternal("renew activation: %w", err)
		}
		old.LastHeartbeatAt, old.LeaseExpiresAt = tx.Now, until
		act := activationFromRow(old, tx.Now)
		out.Activation = &act
		return nil
	case err == nil: // an expired lease the sweep has not removed yet
		if err := tx.DeleteActivation(ctx, old.ID); err != nil {
			return errInternal("remove expired activation: %w", err)
		}
	case !errors.Is(err, store.ErrNotFound):
		return errInternal("read activation: %w", err)
	}
	switch {
	case prod.Floating:
		n, err := tx.CountLiveLeases(ctx, sub.ID, "")
		if err != nil {
			return errInternal("count leases: %w", err)
		}
		if n >= sub.TotalSeats {
			out.License = licenseFor(out.License, sub, tx.Now, CodeNoSeat)
			return nil
		}
	case prod.MachinesPerSeat > 0:
		n, err := tx.CountLiveLeases(ctx, sub.ID, out.UserID)
		if err != nil {
			return errInternal("count machines: %w", err)
		}
		if n >= prod.MachinesPerSeat {
			out.License = licenseFor(out.License, sub, tx.Now, CodeTooManyMachines)
			return nil
		}
	}
	row := store.Activation{ID: newID(prefixActivation), SubscriptionID: sub.ID, OrgID: sub.OrgID, ProductID: prod.ID,
		UserID: out.UserID, FingerprintHash: hash, Name: in.Name, CreatedAt: tx.Now, LastHeartbeatAt: tx.Now, LeaseExpiresAt: until}
	if err := tx.InsertActivation(ctx, row); err != nil {
		return errInternal("insert activation: %w", err)
	}
	act := activationFromRow(row, tx.Now)
	out.Activation = &act
	if err := s.emit(ctx, tx, sub.OrgID, "license.activated", act); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, AuditRecord{Action: "license.activated", TargetType: "activation", TargetID: row.ID, OrgID: sub.OrgID,
		Details: map[string]any{"user_id": row.UserID, "product_id": prod.ID, "subscription_id": sub.ID, "name": row.Name,
			"fingerprint_hash": hash, "lease_expires_at": until}})
}
