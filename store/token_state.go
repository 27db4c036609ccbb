package store

import "context"

// TokenSubject is what verifying an access token needs to know about its
// subject and family, read in one statement.
type TokenSubject struct {
	// Found is false when the user (or client) does not exist.
	Found bool
	// Email, Disabled and SessionVersion describe the user.
	Email          string
	Disabled       bool
	SessionVersion int
	// OrgID is the user's primary organization (the client's owner for
	// client tokens), Role the user's role in it, Operator whether it is
	// the operator organization.
	OrgID    string
	Role     string
	Operator bool
	// OrgRateLimitPerHour is the organization's REST API rate-limit
	// override (0: the default).
	OrgRateLimitPerHour int
	// ClientName and ClientEnabled describe the client the token was issued to.
	ClientName    string
	ClientEnabled bool
	// Revoked is true when the token's grant is revoked or missing, or its
	// jti was revoked on its own.
	Revoked bool
}

var userTokenSubjectQuery = hot(`SELECT u.email, u.disabled, u.session_version, u.primary_org_id,
		COALESCE((SELECT m.role FROM memberships m WHERE m.org_id = u.primary_org_id AND m.user_id = u.id), ''),
		COALESCE((SELECT o.is_operator FROM organizations o WHERE o.id = u.primary_org_id), 0),
		COALESCE((SELECT o.rate_limit_per_hour FROM organizations o WHERE o.id = u.primary_org_id), 0),
		COALESCE((SELECT c.name FROM oauth_clients c WHERE c.id = ?), ''),
		COALESCE((SELECT c.enabled FROM oauth_clients c WHERE c.id = ?), 0),
		NOT EXISTS (SELECT 1 FROM oauth_grants g WHERE g.id = ? AND g.revoked_at IS NULL)
		  OR EXISTS (SELECT 1 FROM oauth_revoked_tokens r WHERE r.jti = ?)
		FROM users u WHERE u.id = ?`)

var clientTokenSubjectQuery = hot(`SELECT c.name, c.enabled, c.org_id,
		COALESCE((SELECT o.is_operator FROM organizations o WHERE o.id = c.org_id), 0),
		COALESCE((SELECT o.rate_limit_per_hour FROM organizations o WHERE o.id = c.org_id), 0),
		EXISTS (SELECT 1 FROM oauth_revoked_tokens r WHERE r.jti = ?)
		FROM oauth_clients c WHERE c.id = ?`)

// UserTokenSubject reads the state an access token of a user depends on:
// the user, their primary organization and role, the client, whether grant
// grantID is revoked (or gone) and whether jti was revoked.
func (tx *Tx) UserTokenSubject(ctx context.Context, userID, clientID, grantID, jti string) (TokenSubject, error) {
	var s TokenSubject
	err := tx.queryRow(ctx, userTokenSubjectQuery, clientID, clientID, grantID, jti, userID).Scan(
		&s.Email, &s.Disabled, &s.SessionVersion, &s.OrgID, &s.Role, &s.Operator, &s.OrgRateLimitPerHour,
		&s.ClientName, &s.ClientEnabled, &s.Revoked)
	if err != nil {
		if err = mapErr(err); err == ErrNotFound {
			return s, nil
		}
		return s, err
	}
	s.Found = true
	return s, nil
}

// ClientTokenSubject reads the state an access token of a client acting for
// itself (client credentials) depends on: the client, its organization and
// whether jti was revoked.
func (tx *Tx) ClientTokenSubject(ctx context.Context, clientID, jti string) (TokenSubject, error) {
	var s TokenSubject
	err := tx.queryRow(ctx, clientTokenSubjectQuery, jti, clientID).Scan(
		&s.ClientName, &s.ClientEnabled, &s.OrgID, &s.Operator, &s.OrgRateLimitPerHour, &s.Revoked)
	if err != nil {
		if err = mapErr(err); err == ErrNotFound {
			return s, nil
		}
		return s, err
	}
	s.Found = true
	return s, nil
}
