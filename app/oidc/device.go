package oidc

import (
	"crypto/rand"
	"errors"
	"math/big"
	"net/http"
	"strings"
)

// GrantDeviceCode is the device authorization grant (RFC 8628 §3.4).
const GrantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"

// Paths of the device authorization grant, relative to the issuer.
const (
	PathDeviceAuthorization = "/oauth/device_authorization"
	PathDevice              = "/device"
)

// Token endpoint error codes of the device grant (RFC 8628 §3.5).
const (
	CodeAuthorizationPending = "authorization_pending"
	CodeSlowDown             = "slow_down"
	CodeExpiredToken         = "expired_token"
)

// userCodeAlphabet has no vowels (no words), and none of the look-alikes
// 0/O, 1/I/L, 5/S, 2/Z, 8/B: 20 letters, so 8 characters carry 34.5 bits
// (RFC 8628 §6.1), enough with throttled entry and a 10-minute life.
const userCodeAlphabet = "CDFGHJKMNPQRTVWXY349"

// userCodeLength is the number of characters of a user code, without the dash.
const userCodeLength = 8

// NewUserCode returns a random user code in its display form, XXXX-XXXX.
func NewUserCode() string {
	var b strings.Builder
	n := big.NewInt(int64(len(userCodeAlphabet)))
	for i := range userCodeLength {
		if i == userCodeLength/2 {
			b.WriteByte('-')
		}
		k, err := rand.Int(rand.Reader, n)
		if err != nil {
			panic(err) // crypto/rand does not fail
		}
		b.WriteByte(userCodeAlphabet[k.Int64()])
	}
	return b.String()
}

// NormalizeUserCode reads a user code as a person typed it: case does not
// matter, and dashes and spaces anywhere are ignored. It returns the code's
// canonical form (8 characters of the alphabet, no dash), the form that is
// hashed and stored, or an error when it cannot be a user code.
func NormalizeUserCode(s string) (string, error) {
	if len(s) > 32 {
		return "", errors.New("the code is too long")
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' || c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		if !strings.ContainsRune(userCodeAlphabet, rune(c)) {
			return "", errors.New("the code has a character that is not in any code")
		}
		b.WriteByte(c)
	}
	if b.Len() != userCodeLength {
		return "", errors.New("a code has 8 characters")
	}
	return b.String(), nil
}

// FormatUserCode turns a canonical user code into its display form XXXX-XXXX.
func FormatUserCode(canonical string) string {
	if len(canonical) != userCodeLength {
		return canonical
	}
	return canonical[:4] + "-" + canonical[4:]
}

// DeviceAuthorizationRequest is a parsed device authorization request
// (RFC 8628 §3.1): the client's authentication and the scopes it asks.
type DeviceAuthorizationRequest struct {
	ClientAuth
	Scopes []string
}

// ParseDeviceAuthorizationRequest reads a device authorization request: a
// POST form (see ReadForm) with client authentication (see
// ParseClientAuth) and an optional scope, neither repeated.
func ParseDeviceAuthorizationRequest(r *http.Request) (DeviceAuthorizationRequest, *Error) {
	var req DeviceAuthorizationRequest
	form, e := ReadForm(r)
	if e != nil {
		return req, e
	}
	scope, e := Single(form, "scope")
	if e != nil {
		return req, e
	}
	scopes, err := ParseScope(scope)
	if err != nil {
		return req, InvalidScope(err.Error())
	}
	req.Scopes = scopes
	if req.ClientAuth, e = ParseClientAuth(r, form); e != nil {
		return req, e
	}
	return req, nil
}

// DeviceAuthorizationResponse is the answer of the device authorization
// endpoint (RFC 8628 §3.2).
type DeviceAuthorizationResponse struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
	ExpiresIn               int    `json:"expires_in"`
	Interval                int    `json:"interval"`
}
