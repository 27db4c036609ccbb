package oidc

import (
	"fmt"
	"strings"
)

// Standard scopes of OpenID Connect Core §5.4 and §11.
const (
	ScopeOpenID        = "openid"
	ScopeEmail         = "email"
	ScopeProfile       = "profile"
	ScopeOfflineAccess = "offline_access"
)

// maxScopeLength bounds the scope parameter so a hostile request cannot make
// the parser allocate without limit.
const maxScopeLength = 4096

// ParseScope splits a scope parameter (RFC 6749 §3.3) into its tokens, in
// order and without duplicates. Runs of spaces, and leading or trailing
// spaces, are tolerated; a character outside scope-token
// (%x21 / %x23-5B / %x5D-7E) is an error. An empty or all-space string
// yields no scopes and no error.
func ParseScope(s string) ([]string, error) {
	if len(s) > maxScopeLength {
		return nil, fmt.Errorf("scope longer than %d characters", maxScopeLength)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && !scopeChar(c) {
			return nil, fmt.Errorf("scope contains invalid character %q", c)
		}
	}
	var scopes []string
	seen := make(map[string]bool)
	for tok := range strings.SplitSeq(s, " ") {
		if tok == "" || seen[tok] {
			continue
		}
		seen[tok] = true
		scopes = append(scopes, tok)
	}
	return scopes, nil
}

// scopeChar reports whether c may appear in a scope-token.
func scopeChar(c byte) bool {
	return c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e)
}

// JoinScope joins scope tokens with single spaces, as the scope parameter
// and the "scope" claim carry them.
func JoinScope(scopes []string) string {
	return strings.Join(scopes, " ")
}

// ScopeDescription returns the words the consent screen shows for a
// standard scope, or "" for any other scope: product scopes are described
// by the caller, which knows the product's name.
func ScopeDescription(scope string) string {
	switch scope {
	case ScopeOpenID:
		return "Sign you in with your Optare account"
	case ScopeEmail:
		return "See your email address"
	case ScopeProfile:
		return "See your name and profile"
	case ScopeOfflineAccess:
		return "Stay connected when you are not using the app"
	}
	return ""
}
