package app

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"

	"optare/store"
)

// actionAPIKeyAuth is the audit action of a failed API-key authentication.
const actionAPIKeyAuth = "auth.api_key"

// errBadAPIKey is the one answer to a bad API key, whatever was wrong with
// it, so it reveals nothing about which keys exist.
var errBadAPIKey = &Error{Kind: KindUnauthenticated, Code: "invalid_token", Message: "The access token or API key is invalid, expired or revoked."}

// AuthenticateAPI turns the REST API's credentials into an actor: an API key
// ("Bearer key_…" with its secret in X-API-Secret) or a user's access token
// (any other bearer value). Every bearer authentication of the API goes
// through here. Failed API-key attempts are audited and throttled per
// source IP.
func (s *Service) AuthenticateAPI(ctx context.Context, bearer, apiSecret, ip string) (Actor, error) {
	bearer = strings.TrimSpace(bearer)
	if bearer == "" {
		return Actor{}, &Error{Kind: KindUnauthenticated, Code: "invalid_token",
			Message: "Send an access token or API key as Authorization: Bearer …."}
	}
	if !strings.HasPrefix(bearer, prefixKey) {
		a, err := s.actorFromAccessToken(ctx, bearer)
		a.IP = ip
		return a, err
	}
	if st := s.AuthFailureStatus(ip); st.Remaining == 0 {
		return Actor{}, &Error{Kind: KindRateLimited, Code: "too_many_attempts", RetryAfter: st.Reset,
			Message: "Too many failed authentications from this address. Try again later."}
	}
	key, err := s.db.APIKeyByID(ctx, bearer)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Actor{}, errInternal("read api key: %w", err)
	}
	now := s.now()
	reason := ""
	switch {
	case err != nil:
		reason = "unknown_key"
	case apiSecret == "" || subtle.ConstantTimeCompare([]byte(hashSecret(apiSecret)), []byte(key.SecretHash)) != 1:
		reason = "wrong_secret"
	case !key.RevokedAt.IsZero():
		reason = "revoked"
	case !key.ExpiresAt.IsZero() && !key.ExpiresAt.After(now):
		reason = "expired"
	}
	if reason != "" {
		s.authFailures.take("fail:"+ip, s.limits.AuthFailuresPerIP)
		s.auditFailure(ctx, Actor{Kind: ActorAnonymous, IP: ip, Label: bearer}, AuditRecord{Action: actionAPIKeyAuth,
			TargetType: "api_key", TargetID: key.ID, OrgID: key.OrgID, Details: map[string]any{"reason": reason}})
		return Actor{}, errBadAPIKey
	}
	s.keyUsage.touch(key.ID, now)
	s.usage.add(now, UsageKeyRequests, key.OrgID, key.ID, "", 1)
	return Actor{Kind: ActorAPIKey, ID: key.ID, Label: key.Name, IP: ip, OrgID: key.OrgID, Operator: key.OrgOperator}, nil
}

// actorFromAccessToken verifies an access token issued by /oauth/token
// (VerifyAccessToken: signature, issuer, expiry, the user's current state and
// session version, revocation) and returns whom it acts for: the user, with
// their current organization and role, or a client acting for itself.
func (s *Service) actorFromAccessToken(ctx context.Context, token string) (Actor, error) {
	info, err := s.VerifyAccessToken(ctx, token)
	if err != nil {
		return Actor{}, err
	}
	return info.Actor(""), nil
}

// UserActor is the actor of a user acting from ip (for doors that have
// already authenticated the user, and for tests).
func (s *Service) UserActor(ctx context.Context, userID, ip string) (Actor, error) {
	acc, err := s.AccountByID(ctx, userID)
	if err != nil {
		return Actor{}, err
	}
	return acc.Actor(ip), nil
}
