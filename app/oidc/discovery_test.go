package oidc

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNewDiscovery(t *testing.T) {
	tests := []struct {
		name, issuer, wantBase string
	}{
		{"default issuer", "http://localhost:8080", "http://localhost:8080"},
		{"trailing slash", "https://id.example.com/", "https://id.example.com"},
		{"issuer with path", "https://example.com/idp", "https://example.com/idp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDiscovery(tt.issuer, nil, nil)
			if d.Issuer != tt.issuer {
				t.Errorf("Issuer = %q", d.Issuer)
			}
			got := map[string]string{
				"authorize": d.AuthorizationEndpoint, "token": d.TokenEndpoint, "userinfo": d.UserinfoEndpoint,
				"jwks": d.JWKSURI, "revoke": d.RevocationEndpoint, "introspect": d.IntrospectionEndpoint,
				"logout": d.EndSessionEndpoint, "device": d.DeviceAuthorizationEndpoint, "par": d.PushedAuthorizationRequestEndpoint,
			}
			b := tt.wantBase
			want := map[string]string{
				"authorize": b + "/oauth/authorize", "token": b + "/oauth/token", "userinfo": b + "/oauth/userinfo",
				"jwks": b + "/.well-known/jwks.json", "revoke": b + "/oauth/revoke", "introspect": b + "/oauth/introspect",
				"logout": b + "/oauth/logout", "device": b + "/oauth/device_authorization", "par": b + "/oauth/par",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("endpoints (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiscoveryJSON(t *testing.T) {
	d := NewDiscovery("https://id.example.com", []string{"openid", "email", "billing"}, []string{"RS256", "ES256"})
	data, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"issuer":                                           "https://id.example.com",
		"scopes_supported":                                 []any{"openid", "email", "billing"},
		"response_types_supported":                         []any{"code"},
		"response_modes_supported":                         []any{"query"},
		"grant_types_supported":                            []any{"authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"},
		"subject_types_supported":                          []any{"public"},
		"id_token_signing_alg_values_supported":            []any{"RS256", "ES256"},
		"token_endpoint_auth_methods_supported":            []any{"client_secret_basic", "client_secret_post", "private_key_jwt", "none"},
		"revocation_endpoint_auth_methods_supported":       []any{"client_secret_basic", "client_secret_post", "private_key_jwt", "none"},
		"introspection_endpoint_auth_methods_supported":    []any{"client_secret_basic", "client_secret_post", "private_key_jwt", "none"},
		"code_challenge_methods_supported":                 []any{"S256", "plain"},
		"authorization_response_iss_parameter_supported":   true,
		"request_parameter_supported":                      false,
		"request_uri_parameter_supported":                  false,
		"claims_parameter_supported":                       false,
		"require_pushed_authorization_requests":            false,
		"token_endpoint_auth_signing_alg_values_supported": []any{"RS256", "PS256", "ES256", "EdDSA"},
		"dpop_signing_alg_values_supported":                []any{"ES256", "ES384", "EdDSA", "RS256", "PS256"},
	}
	for k, v := range want {
		if diff := cmp.Diff(v, m[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	for _, k := range []string{"authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
		"revocation_endpoint", "introspection_endpoint", "end_session_endpoint", "claims_supported"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing %s", k)
		}
	}
}

func TestNewDiscoveryDefaults(t *testing.T) {
	d := NewDiscovery("http://localhost:8080", nil, nil)
	if diff := cmp.Diff([]string{"openid", "email", "profile", "offline_access"}, d.ScopesSupported); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"RS256"}, d.IDTokenSigningAlgValuesSupported); diff != "" {
		t.Errorf("algs (-want +got):\n%s", diff)
	}
	d.TokenEndpointAuthMethodsSupported[0] = "changed"
	if d.RevocationEndpointAuthMethodsSupported[0] == "changed" {
		t.Error("auth method lists share memory")
	}
}
