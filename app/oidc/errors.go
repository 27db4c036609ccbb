package oidc

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// Error codes of RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1 and OpenID
// Connect Core §3.1.2.6.
const (
	CodeInvalidRequest          = "invalid_request"
	CodeInvalidClient           = "invalid_client"
	CodeInvalidGrant            = "invalid_grant"
	CodeUnauthorizedClient      = "unauthorized_client"
	CodeUnsupportedGrantType    = "unsupported_grant_type"
	CodeInvalidScope            = "invalid_scope"
	CodeUnsupportedResponseType = "unsupported_response_type"
	CodeAccessDenied            = "access_denied"
	CodeLoginRequired           = "login_required"
	CodeConsentRequired         = "consent_required"
	CodeInteractionRequired     = "interaction_required"
	CodeServerError             = "server_error"
	CodeTemporarilyUnavailable  = "temporarily_unavailable"
	CodeInvalidToken            = "invalid_token"
	CodeInsufficientScope       = "insufficient_scope"
	CodeRequestNotSupported     = "request_not_supported"
	CodeRequestURINotSupported  = "request_uri_not_supported"
)

// Realm is the realm announced in WWW-Authenticate challenges.
const Realm = "optare"

// Error is an OAuth 2.0 protocol error: the code and description a client
// receives, and the HTTP status it is sent with.
type Error struct {
	// Code is the RFC error code, for example "invalid_grant".
	Code string
	// Description is a human-readable explanation, safe to show the client.
	Description string
	// Status is the HTTP status for JSON and Bearer answers; zero means the
	// default of the code (see NewError).
	Status int
	// URI optionally points to a page about the error (error_uri).
	URI string
	// Redirectable reports whether an authorization request error may be
	// sent to the client's redirect URI, once the caller has verified the
	// client and that the redirect URI is registered for it. It is false
	// for errors about client_id or redirect_uri themselves, which must be
	// shown on an error page and never redirected.
	Redirectable bool
}

// Error returns the code and description.
func (e *Error) Error() string {
	if e.Description == "" {
		return "oauth: " + e.Code
	}
	return "oauth: " + e.Code + ": " + e.Description
}

// StatusCode returns e.Status, or the default status of e.Code when unset.
func (e *Error) StatusCode() int {
	if e.Status != 0 {
		return e.Status
	}
	return defaultStatus(e.Code)
}

func defaultStatus(code string) int {
	switch code {
	case CodeInvalidClient, CodeInvalidToken:
		return http.StatusUnauthorized
	case CodeInsufficientScope:
		return http.StatusForbidden
	case CodeServerError:
		return http.StatusInternalServerError
	case CodeTemporarilyUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

// NewError returns an error with the given code and description and the
// code's default status: 401 for invalid_client and invalid_token, 403 for
// insufficient_scope, 500 for server_error, 503 for temporarily_unavailable
// and 400 otherwise.
func NewError(code, description string) *Error {
	return &Error{Code: code, Description: description, Status: defaultStatus(code)}
}

// InvalidRequest returns an invalid_request error.
func InvalidRequest(description string) *Error {
	return NewError(CodeInvalidRequest, description)
}

// InvalidClient returns an invalid_client error (HTTP 401).
func InvalidClient(description string) *Error {
	return NewError(CodeInvalidClient, description)
}

// InvalidGrant returns an invalid_grant error.
func InvalidGrant(description string) *Error {
	return NewError(CodeInvalidGrant, description)
}

// UnauthorizedClient returns an unauthorized_client error.
func UnauthorizedClient(description string) *Error {
	return NewError(CodeUnauthorizedClient, description)
}

// UnsupportedGrantType returns an unsupported_grant_type error.
func UnsupportedGrantType(description string) *Error {
	return NewError(CodeUnsupportedGrantType, description)
}

// InvalidScope returns an invalid_scope error.
func InvalidScope(description string) *Error {
	return NewError(CodeInvalidScope, description)
}

// UnsupportedResponseType returns an unsupported_response_type error.
func UnsupportedResponseType(description string) *Error {
	return NewError(CodeUnsupportedResponseType, description)
}

// AccessDenied returns an access_denied error.
func AccessDenied(description string) *Error {
	return NewError(CodeAccessDenied, description)
}

// LoginRequired returns a login_required error (prompt=none, no session).
func LoginRequired(description string) *Error {
	return NewError(CodeLoginRequired, description)
}

// ConsentRequired returns a consent_required error (prompt=none, no consent).
func ConsentRequired(description string) *Error {
	return NewError(CodeConsentRequired, description)
}

// InteractionRequired returns an interaction_required error.
func InteractionRequired(description string) *Error {
	return NewError(CodeInteractionRequired, description)
}

// ServerError returns a server_error error (HTTP 500). The description
// reaches the client, so it must not carry the internal cause.
func ServerError(description string) *Error {
	return NewError(CodeServerError, description)
}

// TemporarilyUnavailable returns a temporarily_unavailable error (HTTP 503).
func TemporarilyUnavailable(description string) *Error {
	return NewError(CodeTemporarilyUnavailable, description)
}

// InvalidToken returns an invalid_token error (HTTP 401), the answer of a
// protected resource to a missing, expired or revoked bearer token.
func InvalidToken(description string) *Error {
	return NewError(CodeInvalidToken, description)
}

// errorBody is the JSON error response of RFC 6749 §5.2.
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
	URI         string `json:"error_uri,omitempty"`
}

// WriteJSON writes err as the JSON error response of RFC 6749 §5.2, with
// Cache-Control: no-store and Pragma: no-cache. An invalid_client error
// answered with 401 carries WWW-Authenticate: Basic realm="optare". A nil
// err is written as server_error.
func WriteJSON(w http.ResponseWriter, err *Error) {
	if err == nil {
		err = ServerError("")
	}
	challenge := ""
	if err.Code == CodeInvalidClient && err.StatusCode() == http.StatusUnauthorized {
		challenge = `Basic realm="` + Realm + `"`
	}
	writeError(w, err, challenge)
}

// WriteBearerError writes the answer of a protected resource to a bad bearer
// token (RFC 6750 §3): the error's status (401 for invalid_token), a
// WWW-Authenticate: Bearer challenge naming the error, and the JSON body of
// WriteJSON. The description is reduced to the characters RFC 6750 allows in
// the header, so it can never break out of its quoted string. A nil err is
// written as invalid_token.
func WriteBearerError(w http.ResponseWriter, err *Error) {
	if err == nil {
		err = InvalidToken("")
	}
	writeError(w, err, BearerChallenge(err))
}

func writeError(w http.ResponseWriter, err *Error, challenge string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	if challenge != "" {
		h.Set("WWW-Authenticate", challenge)
	}
	// Marshalling three strings cannot fail.
	body, _ := json.Marshal(errorBody{Error: err.Code, Description: err.Description, URI: err.URI})
	w.WriteHeader(err.StatusCode())
	_, _ = w.Write(append(body, '\n'))
}

// BearerChallenge returns the WWW-Authenticate value for err, for example
// `Bearer realm="optare", error="invalid_token", error_description="expired"`.
// A nil err gives the bare challenge for a request without credentials.
func BearerChallenge(err *Error) string {
	if err == nil {
		return `Bearer realm="` + Realm + `"`
	}
	var b strings.Builder
	b.WriteString(`Bearer realm="` + Realm + `"`)
	if code := headerSafe(err.Code); code != "" {
		b.WriteString(`, error="` + code + `"`)
	}
	if desc := headerSafe(err.Description); desc != "" {
		b.WriteString(`, error_description="` + desc + `"`)
	}
	if uri := headerSafe(err.URI); uri != "" {
		b.WriteString(`, error_uri="` + uri + `"`)
	}
	return b.String()
}

// headerSafe keeps the characters RFC 6750 §3 allows inside error and
// error_description (%x20-21 / %x23-5B / %x5D-7E): a double quote becomes a
// single quote, a backslash a slash, and anything else (control characters,
// non-ASCII) is dropped.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r == '\\':
			return '/'
		case r < 0x20 || r > 0x7e:
			return -1
		}
		return r
	}, s)
}

// RedirectURL returns redirectURI with the error response of RFC 6749
// §4.1.2.1 appended to its query: error, error_description and error_uri
// when set, state when non-empty, and iss (RFC 9207) when non-empty. The
// existing query is kept byte for byte; a fragment is dropped, since a
// redirect URI must not have one. The caller must have verified that
// redirectURI is registered for the client.
func RedirectURL(redirectURI string, err *Error, state, issuer string) string {
	if err == nil {
		err = ServerError("")
	}
	q := url.Values{"error": {err.Code}}
	if err.Description != "" {
		q.Set("error_description", err.Description)
	}
	if err.URI != "" {
		q.Set("error_uri", err.URI)
	}
	return appendQuery(redirectURI, q, state, issuer)
}

// CodeRedirectURL returns redirectURI with the successful authorization
// response of RFC 6749 §4.1.2 appended to its query: code, state when
// non-empty and iss (RFC 9207) when non-empty.
func CodeRedirectURL(redirectURI, code, state, issuer string) string {
	return appendQuery(redirectURI, url.Values{"code": {code}}, state, issuer)
}

func appendQuery(redirectURI string, q url.Values, state, issuer string) string {
	if state != "" {
		q.Set("state", state)
	}
	if issuer != "" {
		q.Set("iss", issuer)
	}
	base, _, _ := strings.Cut(redirectURI, "#")
	switch {
	case !strings.Contains(base, "?"):
		base += "?"
	case !strings.HasSuffix(base, "?") && !strings.HasSuffix(base, "&"):
		base += "&"
	}
	return base + q.Encode()
}
