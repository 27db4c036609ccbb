package oidc

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// LicenseClaims are the claims of a signed licence token (typ license+jwt).
// An app verifies them offline against Optare's JWKS.
type LicenseClaims struct {
	Issuer         string                    `json:"iss"`
	Subject        string                    `json:"sub"`
	Audience       string                    `json:"aud"` // the product slug
	OrganizationID string                    `json:"organizationId"`
	Product        LicenseClaimsProduct      `json:"product"`
	Subscription   LicenseClaimsSubscription `json:"subscription"`
	Seat           bool                      `json:"seat"`
	IssuedAt       int64                     `json:"iat"`
	NotBefore      int64                     `json:"nbf"`
	Expiry         int64                     `json:"exp"`
	// Grace is how many seconds after exp the app may keep working offline.
	Grace           int64  `json:"grace"`
	ID              string `json:"jti"`
	FingerprintHash string `json:"fingerprint_hash,omitempty"`
}

// LicenseClaimsProduct is the product a licence token is for.
type LicenseClaimsProduct struct {
	ID       string   `json:"id"`
	Slug     string   `json:"slug"`
	Name     string   `json:"name"`
	Features []string `json:"features"`
}

// LicenseClaimsSubscription is the subscription that grants the licence.
type LicenseClaimsSubscription struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// FingerprintHash is how a machine fingerprint appears in a licence token:
// the lowercase hex SHA-256 of its bytes, so the token never carries the
// fingerprint itself.
func FingerprintHash(fingerprint string) string {
	sum := sha256.Sum256([]byte(fingerprint))
	return hex.EncodeToString(sum[:])
}

// LicenseVerdict is the outcome of verifying a licence token offline.
type LicenseVerdict string

// The verdicts of VerifyLicense, from best to worst.
const (
	LicenseValid        LicenseVerdict = "valid"
	LicenseInGrace      LicenseVerdict = "in grace"
	LicenseExpired      LicenseVerdict = "expired"
	LicenseWrongProduct LicenseVerdict = "wrong product"
	LicenseWrongMachine LicenseVerdict = "wrong machine"
	LicenseNotYetValid  LicenseVerdict = "not yet valid"
	LicenseInvalid      LicenseVerdict = "invalid"
)

// ErrNoLicenseKey means the JWKS holds no key for the token's kid.
var ErrNoLicenseKey = errors.New("no key in the JWKS for this token")

// VerifyLicense checks a licence token offline, as an app would: the
// signature (EdDSA only) by the JWKS key its kid names, typ license+jwt,
// then the product (aud or product id), the machine (when fingerprint is
// given) and the time: valid before exp, in grace until exp+grace, expired
// after. A token whose signature or shape fails is LicenseInvalid with the
// reason as the error.
func VerifyLicense(token string, jwks []byte, product, fingerprint string, now time.Time) (LicenseVerdict, LicenseClaims, error) {
	var c LicenseClaims
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(jwks, &set); err != nil {
		return LicenseInvalid, c, fmt.Errorf("read JWKS: %w", err)
	}
	if len(token) > maxTokenLength {
		return LicenseInvalid, c, ErrMalformedToken
	}
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		return LicenseInvalid, c, fmt.Errorf("%w: %w", ErrMalformedToken, err)
	}
	h := parsed.Headers[0]
	if typ, _ := h.ExtraHeaders[jose.HeaderType].(string); normalType(typ) != TypeLicense {
		return LicenseInvalid, c, fmt.Errorf("typ %q: %w", typ, ErrWrongType)
	}
	keys := set.Key(h.KeyID)
	if h.KeyID == "" || len(keys) == 0 {
		return LicenseInvalid, c, fmt.Errorf("kid %q: %w", h.KeyID, ErrNoLicenseKey)
	}
	var payload json.RawMessage
	if err := parsed.Claims(keys[0].Key, &payload); err != nil {
		return LicenseInvalid, c, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		return LicenseInvalid, c, fmt.Errorf("%w: %w", ErrMalformedToken, err)
	}
	switch t := now.Unix(); {
	case product != c.Audience && product != c.Product.ID:
		return LicenseWrongProduct, c, nil
	case fingerprint != "" && FingerprintHash(fingerprint) != c.FingerprintHash:
		return LicenseWrongMachine, c, nil
	case t < c.NotBefore:
		return LicenseNotYetValid, c, nil
	case t < c.Expiry:
		return LicenseValid, c, nil
	case t < c.Expiry+c.Grace:
		return LicenseInGrace, c, nil
	}
	return LicenseExpired, c, nil
}
