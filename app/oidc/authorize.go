package oidc

import (
	"net/url"
	"strconv"
	"strings"
)

// Prompt values of OpenID Connect Core §3.1.2.1.
const (
	PromptNone          = "none"
	PromptLogin         = "login"
	PromptConsent       = "consent"
	PromptSelectAccount = "select_account"
)

// ResponseTypeCode is the only response type Optare serves.
const ResponseTypeCode = "code"

// ResponseModeQuery is the only response mode Optare serves.
const ResponseModeQuery = "query"

// AuthorizeRequest is a parsed authorization request (RFC 6749 §4.1.1,
// OpenID Connect Core §3.1.2.1). Parsing checks form only: the caller
// checks the client, its redirect URIs and its allowed scopes.
type AuthorizeRequest struct {
	ClientID     string
	RedirectURI  string // "" when absent
	ResponseType string
	Scope        string // raw scope parameter
	State        string
	Nonce        string
	// CodeChallenge and CodeChallengeMethod are both empty without PKCE;
	// with a challenge the method is S256 or plain (the default).
	CodeChallenge       string
	CodeChallengeMethod string
	// Prompt is the raw prompt parameter; see HasPrompt.
	Prompt string
	// MaxAge is the max_age parameter in seconds, or nil when absent.
	MaxAge       *int
	ResponseMode string
	// ACRValues is the raw acr_values parameter; see WantsACR.
	ACRValues string
	// Scopes is Scope split, in order and without duplicates.
	Scopes []string
}

// ACRMultiFactor is the acr value (OpenID PAPE's multi-factor policy) that
// asks for, and reports, a sign-in with two factors.
const ACRMultiFactor = "http://schemas.openid.net/pape/policies/2007/06/multi-factor"

// WantsACR reports whether the request's acr_values contains value.
func (a AuthorizeRequest) WantsACR(value string) bool {
	for v := range strings.FieldsSeq(a.ACRValues) {
		if v == value {
			return true
		}
	}
	return false
}

// HasPrompt reports whether the request's prompt parameter contains value.
func (a AuthorizeRequest) HasPrompt(value string) bool {
	for p := range strings.FieldsSeq(a.Prompt) {
		if p == value {
			return true
		}
	}
	return false
}

// ParseAuthorizeRequest parses the parameters of an authorization request,
// from the URL query of a GET or the form of a POST.
//
// On error it returns the fields parsed so far with the error. Errors about
// client_id or redirect_uri (missing client_id, duplicates) have
// Redirectable false and must be shown on an error page. Every other error
// has Redirectable true: the caller may redirect it, with req.State, but
// only after verifying req.ClientID and the redirect URI.
func ParseAuthorizeRequest(v url.Values) (AuthorizeRequest, *Error) {
	var req AuthorizeRequest
	var e *Error
	if req.ClientID, e = Single(v, "client_id"); e != nil {
		return req, e
	}
	if req.ClientID == "" {
		return req, InvalidRequest("missing client_id")
	}
	if req.RedirectURI, e = Single(v, "redirect_uri"); e != nil {
		return req, e
	}
	e = parseAuthorizeParams(&req, v)
	if e != nil {
		e.Redirectable = true
	}
	return req, e
}

// parseAuthorizeParams parses everything but client_id and redirect_uri.
func parseAuthorizeParams(req *AuthorizeRequest, v url.Values) *Error {
	var e *Error
	// state first, so that later errors can echo it.
	if req.State, e = Single(v, "state"); e != nil {
		return e
	}
	fields := []struct {
		name string
		dst  *string
	}{
		{"response_type", &req.ResponseType},
		{"scope", &req.Scope},
		{"nonce", &req.Nonce},
		{"code_challenge", &req.CodeChallenge},
		{"code_challenge_method", &req.CodeChallengeMethod},
		{"prompt", &req.Prompt},
		{"response_mode", &req.ResponseMode},
		{"acr_values", &req.ACRValues},
	}
	for _, f := range fields {
		if *f.dst, e = Single(v, f.name); e != nil {
			return e
		}
	}
	maxAge, e := Single(v, "max_age")
	if e != nil {
		return e
	}
	if v.Get("request") != "" {
		return NewError(CodeRequestNotSupported, "request objects are not supported")
	}
	if v.Get("request_uri") != "" {
		return NewError(CodeRequestURINotSupported, "request_uri is not supported")
	}
	switch req.ResponseType {
	case "":
		return InvalidRequest("missing response_type")
	case ResponseTypeCode:
	default:
		return UnsupportedResponseType("only response_type=code is supported")
	}
	if req.ResponseMode != "" && req.ResponseMode != ResponseModeQuery {
		return InvalidRequest("only response_mode=query is supported")
	}
	scopes, err := ParseScope(req.Scope)
	if err != nil {
		return InvalidScope(err.Error())
	}
	req.Scopes = scopes
	if maxAge != "" {
		n, ok := parseMaxAge(maxAge)
		if !ok {
			return InvalidRequest("max_age must be a non-negative integer")
		}
		req.MaxAge = &n
	}
	if e := checkPrompt(req.Prompt); e != nil {
		return e
	}
	return checkChallenge(req)
}

// parseMaxAge accepts only decimal digits, so "+5", "-0" and " 5" are
// refused.
func parseMaxAge(s string) (int, bool) {
	if len(s) > 10 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// checkPrompt accepts space-separated prompt values of OpenID Connect Core
// §3.1.2.1, with none only on its own.
func checkPrompt(prompt string) *Error {
	values := strings.Fields(prompt)
	for _, p := range values {
		switch p {
		case PromptNone:
			if len(values) > 1 {
				return InvalidRequest("prompt=none cannot be combined with other values")
			}
		case PromptLogin, PromptConsent, PromptSelectAccount:
		default:
			return InvalidRequest("unsupported prompt value " + strconv.Quote(p))
		}
	}
	return nil
}

// checkChallenge validates the PKCE parameters (RFC 7636 §4.3) and fills in
// the default method.
func checkChallenge(req *AuthorizeRequest) *Error {
	if req.CodeChallenge == "" {
		if req.CodeChallengeMethod != "" {
			return InvalidRequest("code_challenge_method without code_challenge")
		}
		return nil
	}
	switch req.CodeChallengeMethod {
	case "":
		req.CodeChallengeMethod = PKCEMethodPlain
		fallthrough
	case PKCEMethodPlain:
		if !validVerifier(req.CodeChallenge) {
			return InvalidRequest("code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~]")
		}
	case PKCEMethodS256:
		if !validS256Challenge(req.CodeChallenge) {
			return InvalidRequest("an S256 code_challenge must be 43 base64url characters")
		}
	default:
		return InvalidRequest("transform algorithm not supported: code_challenge_method must be S256 or plain")
	}
	return nil
}
