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

// errMissingSecret answers an API key sent without its secret: the one
// mistake worth naming, since the key id alone proves nothing.
var errMissingSecret = &Error{Kind: KindUnauthenticated, Code: "invalid_token",
	Message: "The X-API-Secret header is missing: an API key (Bearer key_…) needs its secret in X-API-Secret."}

// failureBudget names the failed-authentication budget of an identifier
// (kind "key" or "client"): its own when it exists, else the source
// address's budget for unknown identifiers.
func failureBudget(kind, id, ip string) string {
	if id != "" {
		return "fail:" + kind + ":" + id
	}
	return "fail:ip:" + ip
}

// AuthenticateAPI turns the REST API's credentials into an actor: an API key
// ("Bearer key_…" with its secret in X-API-Secret) or an access token (any
// other value; a DPoP-bound one as "DPoP …" with its proof, see
// VerifyAccessRequest). Every authentication of the API goes through here. Failed API-key attempts are audited (collapsed per source,
// key and minute) and throttled per key id, or per source IP for unknown
// key ids.
func (s *Service) AuthenticateAPI(ctx context.Context, req AccessRequest, apiSecret, ip string) (Actor, error) {
	bearer := strings.TrimSpace(req.Token)
	if bearer == "" {
		return Actor{}, &Error{Kind: KindUnauthenticated, Code: "invalid_token",
			Message: "Send an access token or API key as Authorization: Bearer … (a DPoP-bound access token as Authorization: DPoP … with its DPoP proof)."}
	}
	if !strings.HasPrefix(bearer, prefixKey) {
		req.Token = bearer
		a, err := s.actorFromAccessToken(ctx, req)
		a.IP = ip
		return a, err
	}
	if !strings.EqualFold(req.Scheme, "Bearer") {
		return Actor{}, errWrongScheme("An API key is sent as Authorization: Bearer key_… with its secret in X-API-Secret.")
	}
	key, err := s.apiKeyByID(ctx, bearer, req.Prefetch)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Actor{}, errInternal("read api key: %w", err)
	}
	now := s.now()
	reason := ""
	switch {
	case err != nil:
		reason = "unknown_key"
	case apiSecret == "":
		reason = "missing_secret"
	case subtle.ConstantTimeCompare([]byte(hashSecret(apiSecret)), []byte(key.SecretHash)) != 1:
		reason = "wrong_secret"
	case !key.RevokedAt.IsZero():
		reason = "revoked"
	case !key.ExpiresAt.IsZero() && !key.ExpiresAt.After(now):
		reason = "expired"
	}
	if reason != "" {
		// Throttle the failing thing: this key id, or this address when
		// the key id is unknown. A correct key and secret never meet this
		// budget, whatever else failed from the same address.
		budget := failureBudget("key", key.ID, ip)
		actor := Actor{Kind: ActorAnonymous, IP: ip, Label: bearer}
		rec := AuditRecord{Action: actionAPIKeyAuth, TargetType: "api_key", TargetID: key.ID, OrgID: key.OrgID, Details: map[string]any{"reason": reason}}
		if st, ok := s.authFailures.take(budget, s.limits.AuthFailuresPerIP); !ok {
			rec.Details["reason"] = "throttled"
			s.auditCollapsed(ctx, actor, rec, budget)
			return Actor{}, &Error{Kind: KindRateLimited, Code: "too_many_attempts", RetryAfter: st.Reset,
				Message: "Too many failed authentications for this key or from this address. Try again later."}
		}
		s.auditCollapsed(ctx, actor, rec, budget+"|"+bearer+"|"+reason)
		if reason == "missing_secret" {
			return Actor{}, errMissingSecret
		}
		return Actor{}, errBadAPIKey
	}
	s.keyUsage.touch(key.ID, now)
	s.usage.add(now, UsageKeyRequests, key.OrgID, key.ID, "", 1)
	return Actor{Kind: ActorAPIKey, ID: key.ID, Label: key.Name, IP: ip, OrgID: key.OrgID, Operator: key.OrgOperator,
		keyPerMinute: key.RateLimitPerMinute, orgPerHour: key.OrgRateLimitPerHour}, nil
}

// actorFromAccessToken verifies an access token issued by /oauth/token
// (VerifyAccessRequest: signature, issuer, expiry, the user's current state
// and session version, revocation, DPoP binding) and returns whom it acts
// for: the user, with their current organization and role, or a client
// acting for itself.
func (s *Service) actorFromAccessToken(ctx context.Context, req AccessRequest) (Actor, error) {
	info, err := s.VerifyAccessRequest(ctx, req)
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
