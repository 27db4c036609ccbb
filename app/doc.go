// Package app is Optare's domain: its types, its rules and one method per use
// case on Service. Every door — the portals (app/web), the REST API (app/api),
// the OAuth endpoints (app/oauth) and the CLI (app/cli) — calls these methods,
// so permission checks, validation, transactions and audit entries happen in
// exactly one place.
//
// Files are grouped by prefix, and a resource's writes sit beside its reads
// (x.go writes, x_read.go reads where both would not fit one file):
//
//	service.go, errors.go, actor.go   the Service, the one error type, who acts
//	audit.go, sweep.go, leader.go     the audit log, periodic clean-up, leadership
//	ids.go, validate.go, money.go     identifiers, shared checks, prices
//	mail.go, sealer.go, dbcopy.go     outgoing mail, secrets at rest, engine copies
//	idempotency.go                    replayed answers of the REST API's POSTs
//
//	account*.go    organizations, users, members and roles, sign-in (login,
//	               sessions, passwords and their links, TOTP, passkeys,
//	               second factor, MFA policy), first-run setup, email checks
//	apikey*.go     API keys, REST API authentication, last-used times
//	catalog_*.go   products, subscriptions (create, change, cancel), seats,
//	               who can use what (access, usable products), dashboard figures
//	license_*.go   licence checks, licence tokens, activations and leases
//	oauth_*.go     the OAuth/OIDC decisions: authorize and PAR, consent and
//	               connected apps, token endpoint and grants, device flow,
//	               access tokens and their DPoP binding, userinfo,
//	               introspection and revocation, logout, clients, signing
//	               keys and their rotation
//	ratelimit*.go  request budgets, shared counts, per-org and per-key overrides
//	usage*.go      hourly usage counts and their reports
//	webhook_*.go   endpoints, the outbox, delivery and replay
package app
