package oidc

import (
	"fmt"
	"time"
)

// ValidateTimes checks the time claims of a verified token against now,
// allowing leeway for clock skew (RFC 7519 §4.1.4–4.1.6): the token is
// refused when now is at or after exp+leeway, before nbf-leeway, or when iat
// is after now+leeway. exp is required; a zero nbf or iat means the claim is
// absent. Times are seconds since the Unix epoch.
func ValidateTimes(exp, nbf, iat int64, now time.Time, leeway time.Duration) error {
	t := now.Unix()
	skew := int64(leeway / time.Second)
	switch {
	case exp == 0:
		return fmt.Errorf("token has no exp: %w", ErrMalformedToken)
	case t-skew >= exp:
		return fmt.Errorf("exp %d is past: %w", exp, ErrExpired)
	case nbf != 0 && t+skew < nbf:
		return fmt.Errorf("nbf %d is ahead: %w", nbf, ErrNotYetValid)
	case iat != 0 && t+skew < iat:
		return fmt.Errorf("iat %d is ahead: %w", iat, ErrIssuedInFuture)
	}
	return nil
}
