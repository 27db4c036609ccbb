package oidc

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// MaxFormBytes bounds the body ReadForm accepts.
const MaxFormBytes = 64 << 10

// Client authentication methods (RFC 7591 §2 token_endpoint_auth_method).
const (
	AuthMethodSecretBasic = "client_secret_basic"
	AuthMethodSecretPost  = "client_secret_post"
	AuthMethodNone        = "none"
	// AuthMethodPrivateKeyJWT is a JWT signed with the client's own key
	// (RFC 7523, OpenID Connect Core §9).
	AuthMethodPrivateKeyJWT = "private_key_jwt"
)

// Single returns the value of parameter name, or "" when it is absent.
// A parameter sent more than once is an invalid_request error (RFC 6749
// §3.1). A parameter sent without a value reads as absent.
func Single(values url.Values, name string) (string, *Error) {
	vs := values[name]
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", InvalidRequest("parameter " + name + " included more than once")
}

// ReadForm reads the body of a POST request to the token, revocation or
// introspection endpoint: the method must be POST, the content type
// application/x-www-form-urlencoded, and the body at most MaxFormBytes.
// Parameters in the URL query are ignored, so credentials there are never
// read. ReadForm consumes r.Body.
//
// As an extension for clients written after the Optare integration guide,
// whose Node example posts the token request as JSON, a flat JSON object
// of string values (application/json) is read as the same parameters; a
// key given twice, or a value that is not a string, is invalid_request.
func ReadForm(r *http.Request) (url.Values, *Error) {
	if r.Method != http.MethodPost {
		return nil, InvalidRequest("the request must use POST")
	}
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (ct != "application/x-www-form-urlencoded" && ct != "application/json") {
		return nil, InvalidRequest("the request body must be application/x-www-form-urlencoded")
	}
	if r.Body == nil {
		return url.Values{}, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxFormBytes+1))
	if err != nil {
		return nil, InvalidRequest("the request body could not be read")
	}
	if len(body) > MaxFormBytes {
		return nil, InvalidRequest("the request body is too large")
	}
	if ct == "application/json" {
		return jsonForm(body)
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, InvalidRequest("the request body is not valid form encoding")
	}
	return values, nil
}

// ClientAuth is the client authentication found in a request to the token,
// revocation or introspection endpoint. The caller looks the client up and
// checks the secret against its stored hash.
type ClientAuth struct {
	// ClientID identifies the client.
	ClientID string
	// ClientSecret is the presented secret; empty for AuthMethodNone.
	ClientSecret string
	// Assertion is the client_assertion of private_key_jwt.
	Assertion string
	// AuthMethod is client_secret_basic, client_secret_post,
	// private_key_jwt or none.
	AuthMethod string
}

// ParseClientAuth reads the client authentication of r and its form (from
// ReadForm): HTTP Basic, whose user and password are form-urlencoded (RFC
// 6749 §2.3.1), or client_id and client_secret in the body, or client_id
// alone for a public client. Basic with an empty password counts as none,
// since common client libraries send public clients that way. Both Basic
// and client_secret at once is invalid_request; a client_id in the body that
// differs from the Basic user is invalid_request; no client_id at all, a
// malformed Basic header or a client assertion is invalid_client.
func ParseClientAuth(r *http.Request, form url.Values) (ClientAuth, *Error) {
	formID, e := Single(form, "client_id")
	if e != nil {
		return ClientAuth{}, e
	}
	formSecret, e := Single(form, "client_secret")
	if e != nil {
		return ClientAuth{}, e
	}
	user, pass, hasBasic, err := basicAuth(r)
	if err != nil {
		return ClientAuth{}, InvalidClient("malformed HTTP Basic credentials: " + err.Error())
	}
	if _, ok := form["client_assertion"]; ok {
		return assertionAuth(form, formID, formSecret != "" || hasBasic)
	}
	if hasBasic {
		if formSecret != "" {
			return ClientAuth{}, InvalidRequest("client authenticated with more than one method")
		}
		if formID != "" && formID != user {
			return ClientAuth{}, InvalidRequest("client_id does not match the HTTP Basic credentials")
		}
		if pass == "" {
			return ClientAuth{ClientID: user, AuthMethod: AuthMethodNone}, nil
		}
		return ClientAuth{ClientID: user, ClientSecret: pass, AuthMethod: AuthMethodSecretBasic}, nil
	}
	switch {
	case formID == "":
		return ClientAuth{}, InvalidClient("client authentication required")
	case formSecret != "":
		return ClientAuth{ClientID: formID, ClientSecret: formSecret, AuthMethod: AuthMethodSecretPost}, nil
	}
	return ClientAuth{ClientID: formID, AuthMethod: AuthMethodNone}, nil
}

// assertionAuth reads private_key_jwt client authentication: the
// assertion and its type, and the client from client_id or else the
// assertion's sub (checked against iss and sub when it is verified).
func assertionAuth(form url.Values, formID string, otherMethod bool) (ClientAuth, *Error) {
	assertion, e := Single(form, "client_assertion")
	if e != nil {
		return ClientAuth{}, e
	}
	typ, e := Single(form, "client_assertion_type")
	if e != nil {
		return ClientAuth{}, e
	}
	switch {
	case otherMethod:
		return ClientAuth{}, InvalidRequest("client authenticated with more than one method")
	case typ != ClientAssertionType:
		return ClientAuth{}, InvalidClient("client_assertion_type must be " + ClientAssertionType)
	case assertion == "":
		return ClientAuth{}, InvalidClient("empty client_assertion")
	}
	id := formID
	if id == "" {
		sub, err := AssertionSubject(assertion)
		if err != nil || sub == "" {
			return ClientAuth{}, InvalidClient("the client assertion names no client")
		}
		id = sub
	}
	return ClientAuth{ClientID: id, Assertion: assertion, AuthMethod: AuthMethodPrivateKeyJWT}, nil
}

// basicAuth parses an "Authorization: Basic" header and form-decodes its
// parts. Another scheme, or no header, is reported as absent.
func basicAuth(r *http.Request) (user, pass string, ok bool, err error) {
	auth := r.Header.Values("Authorization")
	if len(auth) == 0 {
		return "", "", false, nil
	}
	if len(auth) > 1 {
		return "", "", false, errors.New("more than one Authorization header")
	}
	scheme, cred, _ := strings.Cut(auth[0], " ")
	if !strings.EqualFold(scheme, "Basic") {
		return "", "", false, nil
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return "", "", false, errors.New("not base64")
	}
	rawUser, rawPass, found := strings.Cut(string(raw), ":")
	if !found {
		return "", "", false, errors.New("no colon")
	}
	if user, err = url.QueryUnescape(rawUser); err != nil {
		return "", "", false, errors.New("bad escape in client_id")
	}
	if pass, err = url.QueryUnescape(rawPass); err != nil {
		return "", "", false, errors.New("bad escape in client_secret")
	}
	if user == "" {
		return "", "", false, errors.New("empty client_id")
	}
	return user, pass, true, nil
}

// jsonForm reads a flat JSON object of strings as form parameters.
func jsonForm(body []byte) (url.Values, *Error) {
	bad := InvalidRequest("a JSON body must be one object of string values")
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, bad
	}
	values := url.Values{}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, bad
		}
		name, _ := key.(string)
		val, err := dec.Token()
		str, ok := val.(string)
		if err != nil || !ok {
			return nil, bad
		}
		if _, dup := values[name]; dup {
			return nil, InvalidRequest("parameter " + name + " included more than once")
		}
		values.Set(name, str)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, bad
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad
	}
	return values, nil
}
