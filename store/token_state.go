package store

// TokenSubject is what verifying an access token needs to know about its
// subject and family (HotQuery.Token).
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

// userTokenSubjectSQL reads the state an access token of a user depends
// on (placeholders: the user, the client, the grant and the jti): the
// user, their primary organization and role, the client, whether the
// grant is revoked (or gone) and whether the jti was revoked. No row when
// the user does not exist.
func userTokenSubjectSQL(user, client, grant, jti string) string {
	return `SELECT u.email, u.disabled, u.session_version, u.primary_org_id,
		COALESCE((SELECT m.role FROM memberships m WHERE m.org_id = u.primary_org_id AND m.user_id = u.id), ''),
		COALESCE((SELECT o.is_operator FROM organizations o WHERE o.id = u.primary_org_id), 0),
		COALESCE((SELECT o.rate_limit_per_hour FROM organizations o WHERE o.id = u.primary_org_id), 0),
		COALESCE((SELECT c.name FROM oauth_clients c WHERE c.id = ` + client + `), ''),
		COALESCE((SELECT c.enabled FROM oauth_clients c WHERE c.id = ` + client + `), 0),
		NOT EXISTS (SELECT 1 FROM oauth_grants g WHERE g.id = ` + grant + ` AND g.revoked_at IS NULL)
		  OR EXISTS (SELECT 1 FROM oauth_revoked_tokens r WHERE r.jti = ` + jti + `)
		FROM users u WHERE u.id = ` + user
}

// clientTokenSubjectSQL reads the state an access token of a client acting
// for itself (client credentials) depends on (placeholders: the client and
// the jti): the client, its organization and whether the jti was revoked.
// No row when the client does not exist.
func clientTokenSubjectSQL(client, jti string) string {
	return `SELECT c.name, c.enabled, c.org_id,
		COALESCE((SELECT o.is_operator FROM organizations o WHERE o.id = c.org_id), 0),
		COALESCE((SELECT o.rate_limit_per_hour FROM organizations o WHERE o.id = c.org_id), 0),
		EXISTS (SELECT 1 FROM oauth_revoked_tokens r WHERE r.jti = ` + jti + `)
		FROM oauth_clients c WHERE c.id = ` + client
}

// The widths of the two subject queries.
const (
	userTokenSubjectWidth   = 10
	clientTokenSubjectWidth = 6
)

func scanUserTokenSubject(row scanner) (TokenSubject, error) {
	var s TokenSubject
	err := row.Scan(&s.Email, &s.Disabled, &s.SessionVersion, &s.OrgID, &s.Role, &s.Operator, &s.OrgRateLimitPerHour,
		&s.ClientName, &s.ClientEnabled, &s.Revoked)
	s.Found = err == nil
	return s, mapErr(err)
}

func scanClientTokenSubject(row scanner) (TokenSubject, error) {
	var s TokenSubject
	err := row.Scan(&s.ClientName, &s.ClientEnabled, &s.OrgID, &s.Operator, &s.OrgRateLimitPerHour, &s.Revoked)
	s.Found = err == nil
	return s, mapErr(err)
}
