// Package replica holds the replica test: three `optare serve` processes on
// one PostgreSQL database behind a round-robin reverse proxy, as a team
// runs them behind Caddy or nginx. It has no code of its own.
package replica
