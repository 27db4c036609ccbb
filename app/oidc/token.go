package oidc

import "net/http"

// Grant types served by the token endpoint.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"
)

// TokenRequest is a parsed token endpoint request (RFC 6749 §4.1.3, §4.4.2
// and §6). Which fields matter depends on GrantType; an unknown grant type
// is carried as is for the caller to refuse with unsupported_grant_type.
type TokenRequest struct {
	GrantType    string
	Code         string
	RedirectURI  string
	CodeVerifier string
	RefreshToken string
	DeviceCode   string
	// Scope is the raw scope parameter and Scopes its tokens.
	Scope  string
	Scopes []string
	// DPoPProof is the request's DPoP header (RFC 9449 §5), "" when none.
	DPoPProof string
	// ClientAuth holds ClientID, ClientSecret and AuthMethod.
	ClientAuth
}

// ParseTokenRequest reads a token request: a POST with a form body (see
// ReadForm), client authentication (see ParseClientAuth), and the grant
// parameters, none of which may be repeated. A missing grant_type is
// invalid_request and a malformed scope invalid_scope.
func ParseTokenRequest(r *http.Request) (TokenRequest, *Error) {
	var req TokenRequest
	form, e := ReadForm(r)
	if e != nil {
		return req, e
	}
	fields := []struct {
		name string
		dst  *string
	}{
		{"grant_type", &req.GrantType},
		{"code", &req.Code},
		{"redirect_uri", &req.RedirectURI},
		{"code_verifier", &req.CodeVerifier},
		{"refresh_token", &req.RefreshToken},
		{"device_code", &req.DeviceCode},
		{"scope", &req.Scope},
	}
	for _, f := range fields {
		if *f.dst, e = Single(form, f.name); e != nil {
			return req, e
		}
	}
	if req.GrantType == "" {
		return req, InvalidRequest("missing grant_type")
	}
	scopes, err := ParseScope(req.Scope)
	if err != nil {
		return req, InvalidScope(err.Error())
	}
	req.Scopes = scopes
	if req.DPoPProof, e = DPoPProofHeader(r.Header); e != nil {
		return req, e
	}
	if req.ClientAuth, e = ParseClientAuth(r, form); e != nil {
		return req, e
	}
	return req, nil
}
