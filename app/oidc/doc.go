// Package oidc holds the protocol mechanics of Optare's OAuth 2.0 and OpenID
// Connect provider: the parts that follow from the RFCs alone and need no
// database, no clock of their own and no knowledge of Optare's rules.
//
// What lives here:
//
//   - OAuth error values ([Error]) and their encodings: the JSON body of the
//     token, revocation and introspection endpoints ([WriteJSON]), the Bearer
//     challenge of protected resources ([WriteBearerError]) and the error
//     redirect of the authorization endpoint ([RedirectURL], RFC 9207 "iss").
//   - Request parsing: [ParseAuthorizeRequest], [ParseTokenRequest],
//     [ReadForm] and [ParseClientAuth], which reject duplicated parameters
//     (RFC 6749 §3.1) and malformed values, but look nothing up.
//   - Scopes ([ParseScope], [JoinScope], [ScopeDescription]), redirect URIs
//     and CORS origins ([ValidRedirectURI], [MatchRedirectURI], [ValidOrigin]).
//   - PKCE ([VerifyPKCE], RFC 7636).
//   - Signing keys and JWTs: [GenerateKey], PKCS#8 storage
//     ([MarshalPrivate], [ParsePrivate]), and [KeySet], which publishes the
//     JWKS, signs compact JWS tokens and verifies them by "kid".
//   - Hashes and random tokens ([AtHash], [HashSecret], [EqualHash],
//     [RandomToken]) and the discovery document ([NewDiscovery]).
//
// What does not live here: every decision with consequences. Looking up a
// client, checking that a redirect URI is registered for it, issuing and
// redeeming authorization codes, rotating refresh tokens, recording consent,
// choosing which signing keys are published, and checking iss, aud and exp
// against the transaction's clock are methods of package app, so that the
// OAuth endpoints, the portal, the REST API and the CLI share them. Package
// app calls this package; this package imports no other Optare package.
//
// Errors from the parsers are *[Error] values carrying the RFC error code.
// An authorization request error may be sent back to the client's
// redirect URI only when [Error.Redirectable] is set and the caller has
// verified the client and its redirect URI; otherwise it is shown on an
// error page (RFC 6749 §4.1.2.1).
package oidc
