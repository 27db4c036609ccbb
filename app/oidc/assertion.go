package oidc

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// ClientAssertionType is the client_assertion_type of private_key_jwt
// (RFC 7523 §2.2).
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// MaxAssertionLifetime bounds how far ahead a client assertion's exp may
// be: a short life keeps the jti replay cache small.
const MaxAssertionLifetime = 5 * time.Minute

// assertionLeeway absorbs clock skew between the client and Optare.
const assertionLeeway = 30 * time.Second

// maxAssertionBytes bounds a client assertion before it is parsed.
const maxAssertionBytes = 8 << 10

// AssertionAlgs are the signature algorithms accepted on client
// assertions (and announced as token_endpoint_auth_signing_alg_values_supported).
var AssertionAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.PS256, jose.ES256, jose.EdDSA}

// AssertionAlgNames are AssertionAlgs as strings, for discovery.
func AssertionAlgNames() []string {
	out := make([]string, len(AssertionAlgs))
	for i, a := range AssertionAlgs {
		out[i] = string(a)
	}
	return out
}

// ClientAssertion is a verified client assertion.
type ClientAssertion struct {
	JTI       string
	ExpiresAt time.Time
}

type assertionClaims struct {
	Issuer    string          `json:"iss"`
	Subject   string          `json:"sub"`
	Audience  json.RawMessage `json:"aud"`
	ExpiresAt *int64          `json:"exp"`
	IssuedAt  *int64          `json:"iat"`
	NotBefore *int64          `json:"nbf"`
	JTI       string          `json:"jti"`
}

// AssertionSubject reads the sub of a client assertion without verifying
// it, to find the client (and its keys) when the request names none.
func AssertionSubject(raw string) (string, error) {
	if len(raw) > maxAssertionBytes {
		return "", errors.New("client assertion too large")
	}
	jws, err := jose.ParseSignedCompact(raw, AssertionAlgs)
	if err != nil {
		return "", fmt.Errorf("client assertion: %w", err)
	}
	var c assertionClaims
	if err := json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &c); err != nil {
		return "", fmt.Errorf("client assertion claims: %w", err)
	}
	return c.Subject, nil
}

// VerifyClientAssertion checks a private_key_jwt client assertion (RFC
// 7523 §3, OpenID Connect Core §9): signed with one of keys by an
// AssertionAlgs algorithm, iss and sub the client id, aud naming one of
// audiences (the issuer or the endpoint's URL), exp present, not passed
// and at most MaxAssertionLifetime ahead, nbf and iat not in the future,
// and a jti. The caller makes the jti single use.
func VerifyClientAssertion(raw string, keys jose.JSONWebKeySet, clientID string, audiences []string, now time.Time) (ClientAssertion, error) {
	if len(raw) > maxAssertionBytes {
		return ClientAssertion{}, errors.New("client assertion too large")
	}
	jws, err := jose.ParseSignedCompact(raw, AssertionAlgs)
	if err != nil {
		return ClientAssertion{}, fmt.Errorf("client assertion: %w", err)
	}
	if len(jws.Signatures) != 1 {
		return ClientAssertion{}, errors.New("client assertion must have one signature")
	}
	h := jws.Signatures[0].Header
	candidates := keys.Keys
	if h.KeyID != "" {
		candidates = keys.Key(h.KeyID)
	}
	var payload []byte
	for _, k := range candidates {
		if k.IsPublic() && (k.Use == "" || k.Use == "sig") {
			if payload, err = jws.Verify(k); err == nil {
				break
			}
		}
	}
	if payload == nil {
		return ClientAssertion{}, errors.New("client assertion signature does not match a registered key")
	}
	var c assertionClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return ClientAssertion{}, fmt.Errorf("client assertion claims: %w", err)
	}
	switch {
	case c.Issuer != clientID || c.Subject != clientID:
		return ClientAssertion{}, errors.New("client assertion iss and sub must be the client id")
	case c.JTI == "":
		return ClientAssertion{}, errors.New("client assertion has no jti")
	case c.ExpiresAt == nil:
		return ClientAssertion{}, errors.New("client assertion has no exp")
	}
	exp := time.Unix(*c.ExpiresAt, 0)
	switch {
	case !now.Before(exp.Add(assertionLeeway)):
		return ClientAssertion{}, errors.New("client assertion has expired")
	case exp.After(now.Add(MaxAssertionLifetime + assertionLeeway)):
		return ClientAssertion{}, errors.New("client assertion exp is more than 5 minutes ahead")
	case c.NotBefore != nil && time.Unix(*c.NotBefore, 0).After(now.Add(assertionLeeway)):
		return ClientAssertion{}, errors.New("client assertion is not valid yet")
	case c.IssuedAt != nil && time.Unix(*c.IssuedAt, 0).After(now.Add(assertionLeeway)):
		return ClientAssertion{}, errors.New("client assertion iat is in the future")
	}
	aud, err := audienceList(c.Audience)
	if err != nil {
		return ClientAssertion{}, err
	}
	if !slices.ContainsFunc(aud, func(a string) bool { return slices.Contains(audiences, a) }) {
		return ClientAssertion{}, errors.New("client assertion aud must be the issuer or the endpoint")
	}
	return ClientAssertion{JTI: c.JTI, ExpiresAt: exp}, nil
}

// audienceList reads aud as a string or an array of strings.
func audienceList(raw json.RawMessage) ([]string, error) {
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, errors.New("client assertion aud must be a string or an array of strings")
	}
	return many, nil
}

// ParseJWKS reads a client's JSON Web Key Set: public signing keys only,
// at most 20, each usable with an AssertionAlgs algorithm.
func ParseJWKS(data []byte) (jose.JSONWebKeySet, error) {
	var set jose.JSONWebKeySet
	if len(data) > 64<<10 {
		return set, errors.New("JWKS larger than 64 KiB")
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return set, fmt.Errorf("not a JWKS: %w", err)
	}
	if len(set.Keys) == 0 || len(set.Keys) > 20 {
		return set, errors.New("a JWKS needs 1 to 20 keys")
	}
	for i, k := range set.Keys {
		if !k.IsPublic() {
			return set, fmt.Errorf("key %d is not a public key (never register a private key)", i)
		}
		if k.Use != "" && k.Use != "sig" {
			return set, fmt.Errorf("key %d is not for signatures", i)
		}
	}
	return set, nil
}
