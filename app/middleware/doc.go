// Package middleware holds the HTTP plumbing every door shares: request ids
// and logging, panic recovery, security headers, body limits and the client
// address. It knows nothing of Optare's rules.
package middleware
