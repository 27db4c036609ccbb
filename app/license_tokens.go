package app

import (
	"context"
	"strings"
	"time"

	"optare/app/oidc"
)

// Licence token timing. A token is valid for the product's
// check-in interval; after exp an app that cannot reach Optare keeps
// working for the grace period.
const (
	DefaultLicenseCheckIn = 7 * 24 * time.Hour
	DefaultLicenseGrace   = 3 * 24 * time.Hour
	MinLicenseCheckIn     = time.Hour
	MaxLicenseCheckIn     = 90 * 24 * time.Hour
	MaxLicenseGrace       = 30 * 24 * time.Hour
	// LicenseKeyRetiredPublish keeps a retired licence key published until
	// every token it signed is past exp and grace.
	LicenseKeyRetiredPublish = MaxLicenseCheckIn + MaxLicenseGrace + JWKSMaxAge
	maxFingerprint           = 512
)

// LicenseTokenRequest asks for a signed licence token. UserID may be
// empty when the actor is the user; Fingerprint identifies the machine and
// binds the token to it (its SHA-256 goes into the token).
type LicenseTokenRequest struct {
	Product     string `json:"product"`
	UserID      string `json:"user_id"`
	Fingerprint string `json:"fingerprint"`
}

// LicenseToken is the license check's answer plus, when valid, the signed
// token, when it expires and when the app should check in for a new one.
type LicenseToken struct {
	License
	Token        string     `json:"token,omitempty"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty"`
	GraceUntil   *time.Time `json:"grace_until,omitempty"`
	CheckInAfter *time.Time `json:"check_in_after,omitempty"`
}

func checkLicensePolicy(f fields, p *Product) {
	if d := time.Duration(p.LicenseCheckIn) * time.Second; d < MinLicenseCheckIn || d > MaxLicenseCheckIn {
		f.add("license_check_in_seconds", "Choose between 3600 (1 hour) and 7776000 (90 days) seconds.")
	}
	if d := time.Duration(p.LicenseGrace) * time.Second; d < 0 || d > MaxLicenseGrace {
		f.add("license_grace_seconds", "Choose between 0 and 2592000 (30 days) seconds.")
	}
	if d := time.Duration(p.LeaseTTL) * time.Second; d < MinLeaseTTL || d > MaxLeaseTTL {
		f.add("lease_ttl_seconds", "Choose between 60 and 86400 (1 day) seconds.")
	}
	if p.MachinesPerSeat < 0 || p.MachinesPerSeat > 1000 {
		f.add("machines_per_seat", "Choose between 0 (no limit) and 1000.")
	}
	if p.Floating && p.MachinesPerSeat > 0 {
		f.add("machines_per_seat", "A floating product counts leases across the organization: leave machines per seat at 0.")
	}
}

// IssueLicenseToken runs the license check for a user and product and,
// when the answer is valid, signs a licence token (typ license+jwt, EdDSA)
// that the app verifies offline against the JWKS. A refusal answers like
// the check (same code, no features) without a token. Signing happens
// after any write, so the writer is never held while signing.
func (s *Service) IssueLicenseToken(ctx context.Context, a Actor, in LicenseTokenRequest) (LicenseToken, error) {
	fp := strings.TrimSpace(in.Fingerprint)
	if len(fp) > maxFingerprint {
		return LicenseToken{}, &Error{Kind: KindInvalid, Message: "The fingerprint is too long.",
			Fields: map[string]string{"fingerprint": "Use at most 512 characters."}}
	}
	lic, err := s.CheckLicense(ctx, a, LicenseQuery{Product: in.Product, UserID: in.UserID})
	out := LicenseToken{License: lic}
	if err != nil || !lic.Valid {
		return out, err
	}
	kr, err := s.keyring(ctx)
	if err != nil {
		return LicenseToken{}, errInternal("load keys: %w", err)
	}
	now := s.now().UTC().Truncate(time.Second)
	checkIn := time.Duration(lic.product.LicenseCheckIn) * time.Second
	grace := time.Duration(lic.product.LicenseGrace) * time.Second
	exp, until, after := now.Add(checkIn), now.Add(checkIn+grace), now.Add(checkIn/2)
	claims := oidc.LicenseClaims{
		Issuer: s.Issuer(), Subject: lic.UserID, Audience: lic.Product.Slug, OrganizationID: lic.orgID,
		Product:      oidc.LicenseClaimsProduct{ID: lic.Product.ID, Slug: lic.Product.Slug, Name: lic.Product.Name, Features: lic.Features},
		Subscription: oidc.LicenseClaimsSubscription{ID: lic.Subscription.ID, Status: lic.Subscription.Status},
		Seat:         true, IssuedAt: now.Unix(), NotBefore: now.Unix(), Expiry: exp.Unix(), Grace: int64(grace / time.Second),
		ID: newID("lic_"),
	}
	if fp != "" {
		claims.FingerprintHash = oidc.FingerprintHash(fp)
	}
	if out.Token, err = kr.licenses.Sign(claims, oidc.TypeLicense); err != nil {
		return LicenseToken{}, errInternal("sign licence token: %w", err)
	}
	out.ExpiresAt, out.GraceUntil, out.CheckInAfter = &exp, &until, &after
	return out, nil
}
