package app

import (
	"context"
	"errors"

	"optare/app/oidc"
	"optare/store"
)

// UserInfo is the userinfo endpoint's answer, in the guide's shape:
// sub, email, email_verified, name, organizationId and the products the
// user can use now.
type UserInfo struct {
	Sub            string          `json:"sub"`
	Email          string          `json:"email,omitempty"`
	EmailVerified  *bool           `json:"email_verified,omitempty"`
	Name           string          `json:"name,omitempty"`
	OrganizationID string          `json:"organizationId"`
	Products       []ProductAccess `json:"products"`
}

// errInsufficientScope refuses a valid token that does not carry what the
// endpoint needs (RFC 6750 §3.1: 403).
func errInsufficientScope(msg string) *Error {
	return &Error{Kind: KindForbidden, Code: oidc.CodeInsufficientScope, Message: msg}
}

// UserInfo returns the claims of the user a verified access token acts for
// (see VerifyAccessToken): email and email_verified with the email scope,
// name with profile, and always organizationId and the products from
// UserProducts. A token without a user or without openid is refused with
// insufficient_scope.
func (s *Service) UserInfo(ctx context.Context, info AccessTokenInfo) (UserInfo, error) {
	if info.UserID == "" || !info.HasScope(oidc.ScopeOpenID) {
		return UserInfo{}, errInsufficientScope("userinfo needs a user's access token with the openid scope")
	}
	f, err := s.userFacts(ctx, info.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return UserInfo{}, errInvalidToken(err)
	}
	if err != nil {
		return UserInfo{}, errInternal("userinfo: %w", err)
	}
	u := f.user
	out := UserInfo{Sub: u.ID, OrganizationID: u.PrimaryOrgID, Products: f.products}
	if info.HasScope(oidc.ScopeEmail) {
		verified := u.EmailVerified
		out.Email, out.EmailVerified = u.Email, &verified
	}
	if info.HasScope(oidc.ScopeProfile) {
		out.Name = u.Name
	}
	return out, nil
}
