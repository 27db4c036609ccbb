// Package api is the REST door: JSON in and out under /api/v1 and /v1,
// authenticated by API keys or user access tokens, rate limited, with one
// error shape. Every route is listed in routes.go and described by the
// OpenAPI document it serves.
package api
