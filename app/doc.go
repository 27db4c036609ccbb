// Package app is Optare's domain: its types, its rules and one method per use
// case on Service. Every door — the portals (app/web), the REST API (app/api),
// the OAuth endpoints and the CLI (app/cli) — calls these methods, so
// permission checks, validation, transactions and audit entries happen in
// exactly one place.
package app
