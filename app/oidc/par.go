package oidc

import (
	"net/http"
	"net/url"
)

// PathPAR is the pushed authorization request endpoint (RFC 9126).
const PathPAR = "/oauth/par"

// RequestURIPrefix starts every request_uri the PAR endpoint issues.
const RequestURIPrefix = "urn:ietf:params:oauth:request_uri:"

// CodeInvalidRequestURI is the error of an unknown, expired or used
// request_uri (RFC 9126 §4, from OpenID Connect Core §6.2).
const CodeInvalidRequestURI = "invalid_request_uri"

// clientAuthParams are the parameters of client authentication, which are
// not part of the pushed authorization request itself.
var clientAuthParams = []string{"client_secret", "client_assertion", "client_assertion_type"}

// ParsePARRequest reads a pushed authorization request (RFC 9126 §2.1): a
// POST form (see ReadForm) with client authentication (see
// ParseClientAuth) and the authorization request's parameters, which it
// checks as ParseAuthorizeRequest does. It returns the client
// authentication and the authorization parameters, client_id included. A
// request_uri among them is invalid_request (§2.1).
func ParsePARRequest(r *http.Request) (ClientAuth, url.Values, *Error) {
	form, e := ReadForm(r)
	if e != nil {
		return ClientAuth{}, nil, e
	}
	auth, e := ParseClientAuth(r, form)
	if e != nil {
		return ClientAuth{}, nil, e
	}
	if _, ok := form["request_uri"]; ok {
		return auth, nil, InvalidRequest("request_uri cannot be pushed")
	}
	params := url.Values{}
	for k, v := range form {
		params[k] = v
	}
	for _, k := range clientAuthParams {
		params.Del(k)
	}
	params.Set("client_id", auth.ClientID)
	if _, e := ParseAuthorizeRequest(params); e != nil {
		e.Redirectable = false
		return auth, nil, e
	}
	return auth, params, nil
}

// PARResponse is the PAR endpoint's answer (RFC 9126 §2.2).
type PARResponse struct {
	RequestURI string `json:"request_uri"`
	ExpiresIn  int    `json:"expires_in"`
}
