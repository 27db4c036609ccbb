// Package metrics holds Optare's Prometheus measurements: one registry per
// server with the optare_ request, OAuth, sign-in, licence, rate-limit and
// database figures beside the Go runtime and process collectors.
//
// Labels are bounded sets (doors, route templates, status classes, error
// codes): never a user, key, token or client id.
package metrics
