package oidc

import (
	"slices"
	"strings"
)

// Endpoint paths (SPEC §5), relative to the issuer.
const (
	PathDiscovery     = "/.well-known/openid-configuration"
	PathOAuthMetadata = "/.well-known/oauth-authorization-server"
	PathJWKS          = "/.well-known/jwks.json"
	PathAuthorize     = "/oauth/authorize"
	PathToken         = "/oauth/token"
	PathUserinfo      = "/oauth/userinfo"
	PathRevoke        = "/oauth/revoke"
	PathIntrospect    = "/oauth/introspect"
	PathLogout        = "/oauth/logout"
)

// Discovery is the OpenID Provider metadata document (OpenID Connect
// Discovery §3, RFC 8414), served at PathDiscovery and PathOAuthMetadata.
type Discovery struct {
	Issuer                             string `json:"issuer"`
	AuthorizationEndpoint              string `json:"authorization_endpoint"`
	TokenEndpoint                      string `json:"token_endpoint"`
	UserinfoEndpoint                   string `json:"userinfo_endpoint"`
	JWKSURI                            string `json:"jwks_uri"`
	RevocationEndpoint                 string `json:"revocation_endpoint"`
	IntrospectionEndpoint              string `json:"introspection_endpoint"`
	EndSessionEndpoint                 string `json:"end_session_endpoint"`
	DeviceAuthorizationEndpoint        string `json:"device_authorization_endpoint"`
	PushedAuthorizationRequestEndpoint string `json:"pushed_authorization_request_endpoint"`
	// RequirePushedAuthorizationRequests is false server-wide: single
	// clients can be made to require PAR.
	RequirePushedAuthorizationRequests         bool     `json:"require_pushed_authorization_requests"`
	ScopesSupported                            []string `json:"scopes_supported"`
	ResponseTypesSupported                     []string `json:"response_types_supported"`
	ResponseModesSupported                     []string `json:"response_modes_supported"`
	GrantTypesSupported                        []string `json:"grant_types_supported"`
	SubjectTypesSupported                      []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported           []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported          []string `json:"token_endpoint_auth_methods_supported"`
	RevocationEndpointAuthMethodsSupported     []string `json:"revocation_endpoint_auth_methods_supported"`
	IntrospectionEndpointAuthMethodsSupported  []string `json:"introspection_endpoint_auth_methods_supported"`
	TokenEndpointAuthSigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	CodeChallengeMethodsSupported              []string `json:"code_challenge_methods_supported"`
	// DPoPSigningAlgValuesSupported lists the algorithms accepted on DPoP
	// proofs (RFC 9449 §5.1).
	DPoPSigningAlgValuesSupported []string `json:"dpop_signing_alg_values_supported"`
	ClaimsSupported               []string `json:"claims_supported"`
	ACRValuesSupported            []string `json:"acr_values_supported"`
	// AuthorizationResponseIssParameterSupported announces RFC 9207.
	AuthorizationResponseIssParameterSupported bool `json:"authorization_response_iss_parameter_supported"`
	// The next three are false, and must be sent: request_uri_parameter_supported
	// defaults to true when absent.
	RequestParameterSupported    bool `json:"request_parameter_supported"`
	RequestURIParameterSupported bool `json:"request_uri_parameter_supported"`
	ClaimsParameterSupported     bool `json:"claims_parameter_supported"`
}

// NewDiscovery returns the metadata of the provider at issuer, with its
// endpoints under the paths of SPEC §5. scopes lists the scopes to announce
// (the standard ones and, at the caller's choice, product slugs), the
// standard ones when empty; algs the ID token signing algorithms, RS256 when
// empty.
func NewDiscovery(issuer string, scopes []string, algs []string) Discovery {
	base := strings.TrimSuffix(issuer, "/")
	if len(algs) == 0 {
		algs = []string{AlgRS256}
	}
	if len(scopes) == 0 {
		scopes = []string{ScopeOpenID, ScopeEmail, ScopeProfile, ScopeOfflineAccess}
	}
	clientAuth := func() []string {
		return []string{AuthMethodSecretBasic, AuthMethodSecretPost, AuthMethodPrivateKeyJWT, AuthMethodNone}
	}
	return Discovery{
		Issuer:                                     issuer,
		AuthorizationEndpoint:                      base + PathAuthorize,
		TokenEndpoint:                              base + PathToken,
		UserinfoEndpoint:                           base + PathUserinfo,
		JWKSURI:                                    base + PathJWKS,
		RevocationEndpoint:                         base + PathRevoke,
		IntrospectionEndpoint:                      base + PathIntrospect,
		EndSessionEndpoint:                         base + PathLogout,
		DeviceAuthorizationEndpoint:                base + PathDeviceAuthorization,
		PushedAuthorizationRequestEndpoint:         base + PathPAR,
		ScopesSupported:                            slices.Clone(scopes),
		ResponseTypesSupported:                     []string{ResponseTypeCode},
		ResponseModesSupported:                     []string{ResponseModeQuery},
		GrantTypesSupported:                        []string{GrantAuthorizationCode, GrantRefreshToken, GrantClientCredentials, GrantDeviceCode},
		SubjectTypesSupported:                      []string{"public"},
		IDTokenSigningAlgValuesSupported:           slices.Clone(algs),
		TokenEndpointAuthMethodsSupported:          clientAuth(),
		RevocationEndpointAuthMethodsSupported:     clientAuth(),
		IntrospectionEndpointAuthMethodsSupported:  clientAuth(),
		TokenEndpointAuthSigningAlgValuesSupported: AssertionAlgNames(),
		CodeChallengeMethodsSupported:              []string{PKCEMethodS256, PKCEMethodPlain},
		DPoPSigningAlgValuesSupported:              DPoPAlgNames(),
		ClaimsSupported: []string{
			"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid",
			"email", "email_verified", "name", "organizationId", "products", "amr", "acr",
		},
		ACRValuesSupported:                         []string{ACRMultiFactor},
		AuthorizationResponseIssParameterSupported: true,
	}
}
