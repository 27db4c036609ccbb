package oidc

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseTokenRequest(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		auth     string
		want     TokenRequest
		wantCode string
	}{
		{
			name: "authorization_code, public client",
			body: "grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fapp%2Fcb&code_verifier=" + rfcVerifier + "&client_id=pub",
			want: TokenRequest{
				GrantType: "authorization_code", Code: "abc", RedirectURI: "https://app/cb", CodeVerifier: rfcVerifier,
				ClientAuth: ClientAuth{ClientID: "pub", AuthMethod: AuthMethodNone},
			},
		},
		{
			name: "refresh_token with scope and basic",
			body: "grant_type=refresh_token&refresh_token=rt_1&scope=openid+email",
			auth: basic("c", "s"),
			want: TokenRequest{
				GrantType: "refresh_token", RefreshToken: "rt_1", Scope: "openid email", Scopes: []string{"openid", "email"},
				ClientAuth: ClientAuth{ClientID: "c", ClientSecret: "s", AuthMethod: AuthMethodSecretBasic},
			},
		},
		{
			name: "client_credentials post",
			body: "grant_type=client_credentials&client_id=c&client_secret=s",
			want: TokenRequest{
				GrantType:  "client_credentials",
				ClientAuth: ClientAuth{ClientID: "c", ClientSecret: "s", AuthMethod: AuthMethodSecretPost},
			},
		},
		{
			name: "unknown grant carried",
			body: "grant_type=password&username=u&client_id=c",
			want: TokenRequest{GrantType: "password", ClientAuth: ClientAuth{ClientID: "c", AuthMethod: AuthMethodNone}},
		},
		{name: "missing grant_type", body: "code=abc&client_id=c", wantCode: CodeInvalidRequest},
		{name: "duplicate grant_type", body: "grant_type=authorization_code&grant_type=authorization_code&client_id=c", wantCode: CodeInvalidRequest},
		{name: "duplicate code", body: "grant_type=authorization_code&code=a&code=b&client_id=c", wantCode: CodeInvalidRequest},
		{name: "duplicate code_verifier", body: "grant_type=authorization_code&code_verifier=a&code_verifier=b&client_id=c", wantCode: CodeInvalidRequest},
		{name: "bad scope", body: "grant_type=refresh_token&scope=%5C&client_id=c", wantCode: CodeInvalidScope},
		{name: "two auth methods", body: "grant_type=client_credentials&client_secret=s", auth: basic("c", "s"), wantCode: CodeInvalidRequest},
		{name: "no client", body: "grant_type=client_credentials", wantCode: CodeInvalidClient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTokenRequest(formRequest(tt.body, tt.auth))
			if tt.wantCode != "" {
				if err == nil || err.Code != tt.wantCode {
					t.Fatalf("error = %v, want %s", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTokenRequestMethod(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/oauth/token?grant_type=client_credentials&client_id=c", nil)
	if _, err := ParseTokenRequest(r); err == nil || err.Code != CodeInvalidRequest {
		t.Errorf("GET: error = %v, want invalid_request", err)
	}
}

func FuzzParseTokenRequest(f *testing.F) {
	f.Add("grant_type=authorization_code&code=abc&client_id=c&code_verifier="+rfcVerifier, "")
	f.Add("grant_type=refresh_token&refresh_token=x&scope=openid", basic("c", "s"))
	f.Add("grant_type=client_credentials&client_id=c&client_secret=s", basic("c%3", "s"))
	f.Add("grant_type=a&grant_type=b", "Basic ====")
	f.Add("", "Bearer x")
	f.Add("a=%zz;b", basic("", ""))
	f.Fuzz(func(t *testing.T, body, authorization string) {
		if strings.ContainsAny(authorization, "\r\n") {
			return
		}
		req, err := ParseTokenRequest(formRequest(body, authorization))
		if err != nil {
			if err.Code == "" || (err.StatusCode() != 400 && err.StatusCode() != 401) {
				t.Fatalf("bad error %+v", err)
			}
			return
		}
		if req.GrantType == "" || req.ClientID == "" {
			t.Fatalf("accepted %+v", req)
		}
		switch req.AuthMethod {
		case AuthMethodNone:
			if req.ClientSecret != "" {
				t.Fatalf("secret with method none: %+v", req)
			}
		case AuthMethodSecretBasic, AuthMethodSecretPost:
			if req.ClientSecret == "" {
				t.Fatalf("no secret with %s", req.AuthMethod)
			}
		default:
			t.Fatalf("method %q", req.AuthMethod)
		}
	})
}
