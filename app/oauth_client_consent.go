package app

import (
	"slices"

	"optare/store"
)

// consentChanged reports whether a client change invalidates the consents
// users gave it (SPEC §5: a change of redirect URIs or scopes asks again).
// Order does not count: saving the same URIs and scopes in another order,
// as a form with a fixed checkbox order does, changes nothing for users.
func consentChanged(before, after store.Client) bool {
	return !sameSet(before.RedirectURIs, after.RedirectURIs) || !sameSet(before.AllowedScopes, after.AllowedScopes)
}

// sameSet reports whether a and b hold the same values, in any order.
// Both are deduplicated by validation.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, v := range a {
		if !slices.Contains(b, v) {
			return false
		}
	}
	return true
}
