// Package oauth is the HTTP door of Optare's OAuth 2.0 authorization server
// and OpenID Connect provider: discovery, JWKS, the authorization endpoint
// with its consent screen, the token, userinfo, revocation and
// introspection endpoints, and RP-initiated logout (SPEC §5).
//
// Each handler parses with package oidc, makes one call to package app and
// writes the answer; the decisions live in app. Errors are mapped once per
// kind of endpoint: JSON errors of RFC 6749 §5.2 for the token, revocation
// and introspection endpoints, Bearer challenges (RFC 6750) for userinfo,
// and an error page for the browser endpoints, which redirect to a client
// only when app says the client and its redirect URI are verified.
//
// The browser endpoints (authorize, logout, device) run inside the browser
// session (app/browser, shared with the portals) and cross-origin (CSRF)
// protection; the others take bearer tokens or client credentials, so they
// run outside both, with CORS for the origins the clients list.
package oauth
