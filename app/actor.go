package app

// ActorKind says who acts: the audit log's actor type.
type ActorKind string

// The kinds of actor.
const (
	ActorAnonymous ActorKind = "anonymous" // an unauthenticated web visitor
	ActorUser      ActorKind = "user"      // a signed-in user or a user's access token
	ActorAPIKey    ActorKind = "api_key"   // an organization's API key
	ActorClient    ActorKind = "client"    // an OAuth client acting for itself
	ActorCLI       ActorKind = "cli"       // the local command line: trusted with the database file
	ActorSystem    ActorKind = "system"    // Optare itself (sweeps, expiry)
)

// Actor is whoever a use case acts for. Doors build it from the session, the
// bearer token or the command line; the domain checks permissions on it.
type Actor struct {
	Kind  ActorKind
	ID    string // user_…, key_…, client_…; empty for cli/system/anonymous
	Label string // email, key name, client name: what the audit log shows
	IP    string
	OrgID string // the organization the actor acts within
	Role  string // owner, admin or member within OrgID (users only)
	// Operator is true when OrgID is the operator organization.
	Operator bool
	// Rate-limit overrides of an API key and its organization (0: the
	// defaults), read with the key.
	keyPerMinute, orgPerHour int
}

// CLI is the actor of local command-line use.
func CLI() Actor { return Actor{Kind: ActorCLI, Label: "cli"} }

// System is the actor of Optare's own background work.
func System() Actor { return Actor{Kind: ActorSystem, Label: "system"} }

// Anonymous is an unauthenticated web visitor from ip.
func Anonymous(ip string) Actor { return Actor{Kind: ActorAnonymous, IP: ip} }

// IsOperatorAdmin reports whether the actor administers the whole instance:
// the local CLI, the system, or an owner/admin (or API key) of the operator
// organization.
func (a Actor) IsOperatorAdmin() bool {
	switch a.Kind {
	case ActorCLI, ActorSystem:
		return true
	case ActorUser:
		return a.Operator && (a.Role == RoleOwner || a.Role == RoleAdmin)
	case ActorAPIKey:
		return a.Operator
	}
	return false
}

// IsOrgAdmin reports whether the actor may manage organization orgID: an
// operator admin, or an owner/admin (or API key) of that organization.
func (a Actor) IsOrgAdmin(orgID string) bool {
	if a.IsOperatorAdmin() {
		return true
	}
	if a.OrgID != orgID || orgID == "" {
		return false
	}
	switch a.Kind {
	case ActorUser:
		return a.Role == RoleOwner || a.Role == RoleAdmin
	case ActorAPIKey:
		return true
	}
	return false
}
