package oidc

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSingle(t *testing.T) {
	v := url.Values{"a": {"1"}, "b": {"1", "2"}, "e": {""}, "ee": {"", ""}}
	tests := []struct {
		name    string
		want    string
		wantErr bool
	}{
		{"a", "1", false},
		{"missing", "", false},
		{"e", "", false},
		{"b", "", true},
		{"ee", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Single(v, tt.name)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Fatalf("Single(%q) = %q, %v", tt.name, got, err)
			}
			if err != nil && (err.Code != CodeInvalidRequest || err.Description != "parameter "+tt.name+" included more than once") {
				t.Errorf("error = %+v", err)
			}
		})
	}
}

// formRequest builds a token endpoint request with body and an optional
// raw Authorization header.
func formRequest(body, authorization string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	return r
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func TestReadForm(t *testing.T) {
	tests := []struct {
		name     string
		req      func() *http.Request
		want     url.Values
		wantCode string
	}{
		{
			name: "form",
			req:  func() *http.Request { return formRequest("a=1&b=x+y", "") },
			want: url.Values{"a": {"1"}, "b": {"x y"}},
		},
		{
			name: "charset parameter allowed",
			req: func() *http.Request {
				r := formRequest("a=1", "")
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
				return r
			},
			want: url.Values{"a": {"1"}},
		},
		{
			name: "query string ignored",
			req: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/oauth/token?client_secret=leak", strings.NewReader("a=1"))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				return r
			},
			want: url.Values{"a": {"1"}},
		},
		{
			name:     "GET",
			req:      func() *http.Request { return httptest.NewRequest(http.MethodGet, "/oauth/token?a=1", nil) },
			wantCode: CodeInvalidRequest,
		},
		{
			name: "JSON",
			req: func() *http.Request {
				r := formRequest(`{"a":1}`, "")
				r.Header.Set("Content-Type", "application/json")
				return r
			},
			wantCode: CodeInvalidRequest,
		},
		{
			name: "JSON object of strings",
			req: func() *http.Request {
				r := formRequest(`{"grant_type":"authorization_code","code":"x y"}`, "")
				r.Header.Set("Content-Type", "application/json; charset=utf-8")
				return r
			},
			want: url.Values{"grant_type": {"authorization_code"}, "code": {"x y"}},
		},
		{
			name: "JSON duplicate key",
			req: func() *http.Request {
				r := formRequest(`{"code":"a","code":"b"}`, "")
				r.Header.Set("Content-Type", "application/json")
				return r
			},
			wantCode: CodeInvalidRequest,
		},
		{
			name: "JSON nested",
			req: func() *http.Request {
				r := formRequest(`{"code":{"a":"b"}}`, "")
				r.Header.Set("Content-Type", "application/json")
				return r
			},
			wantCode: CodeInvalidRequest,
		},
		{
			name: "JSON trailing data",
			req: func() *http.Request {
				r := formRequest(`{"code":"a"} {}`, "")
				r.Header.Set("Content-Type", "application/json")
				return r
			},
			wantCode: CodeInvalidRequest,
		},
		{
			name: "no content type",
			req: func() *http.Request {
				r := formRequest("a=1", "")
				r.Header.Del("Content-Type")
				return r
			},
			wantCode: CodeInvalidRequest,
		},
		{
			name:     "bad escape",
			req:      func() *http.Request { return formRequest("a=%zz", "") },
			wantCode: CodeInvalidRequest,
		},
		{
			name:     "semicolon",
			req:      func() *http.Request { return formRequest("a=1;b=2", "") },
			wantCode: CodeInvalidRequest,
		},
		{
			name:     "too large",
			req:      func() *http.Request { return formRequest("a="+strings.Repeat("x", MaxFormBytes), "") },
			wantCode: CodeInvalidRequest,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadForm(tt.req())
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
				t.Errorf("form (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseClientAuth(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		auth     string
		want     ClientAuth
		wantCode string
	}{
		{
			name: "basic",
			auth: basic("client_1", "s3cret"),
			want: ClientAuth{ClientID: "client_1", ClientSecret: "s3cret", AuthMethod: AuthMethodSecretBasic},
		},
		{
			name: "basic is form-urlencoded",
			auth: basic("client%3A1", "a%2Bb+c%25"),
			want: ClientAuth{ClientID: "client:1", ClientSecret: "a+b c%", AuthMethod: AuthMethodSecretBasic},
		},
		{
			name: "basic scheme is case-insensitive",
			auth: "basic " + base64.StdEncoding.EncodeToString([]byte("c:s")),
			want: ClientAuth{ClientID: "c", ClientSecret: "s", AuthMethod: AuthMethodSecretBasic},
		},
		{
			name: "basic with matching client_id in body",
			body: "client_id=c",
			auth: basic("c", "s"),
			want: ClientAuth{ClientID: "c", ClientSecret: "s", AuthMethod: AuthMethodSecretBasic},
		},
		{
			name: "basic with empty password is none",
			auth: basic("pub", ""),
			want: ClientAuth{ClientID: "pub", AuthMethod: AuthMethodNone},
		},
		{
			name: "post",
			body: "client_id=c&client_secret=s%2B",
			want: ClientAuth{ClientID: "c", ClientSecret: "s+", AuthMethod: AuthMethodSecretPost},
		},
		{
			name: "public",
			body: "client_id=pub",
			want: ClientAuth{ClientID: "pub", AuthMethod: AuthMethodNone},
		},
		{
			name: "empty secret is none",
			body: "client_id=pub&client_secret=",
			want: ClientAuth{ClientID: "pub", AuthMethod: AuthMethodNone},
		},
		{
			name: "bearer header ignored",
			body: "client_id=pub",
			auth: "Bearer abc",
			want: ClientAuth{ClientID: "pub", AuthMethod: AuthMethodNone},
		},
		{name: "both methods", body: "client_secret=s", auth: basic("c", "s"), wantCode: CodeInvalidRequest},
		{name: "client_id mismatch", body: "client_id=other", auth: basic("c", "s"), wantCode: CodeInvalidRequest},
		{name: "duplicate client_id", body: "client_id=c&client_id=c", wantCode: CodeInvalidRequest},
		{name: "duplicate client_secret", body: "client_id=c&client_secret=a&client_secret=b", wantCode: CodeInvalidRequest},
		{name: "nothing", body: "grant_type=client_credentials", wantCode: CodeInvalidClient},
		{name: "secret without id", body: "client_secret=s", wantCode: CodeInvalidClient},
		{name: "basic not base64", auth: "Basic !!!", wantCode: CodeInvalidClient},
		{name: "basic without colon", auth: "Basic " + base64.StdEncoding.EncodeToString([]byte("c")), wantCode: CodeInvalidClient},
		{name: "basic bad escape", auth: basic("c%zz", "s"), wantCode: CodeInvalidClient},
		{name: "basic empty user", auth: basic("", "s"), wantCode: CodeInvalidClient},
		{name: "client assertion", body: "client_id=c&client_assertion=eyJ&client_assertion_type=x", wantCode: CodeInvalidClient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := formRequest(tt.body, tt.auth)
			form, e := ReadForm(r)
			if e != nil {
				t.Fatal(e)
			}
			got, err := ParseClientAuth(r, form)
			if tt.wantCode != "" {
				if err == nil || err.Code != tt.wantCode {
					t.Fatalf("error = %v, want %s (got %+v)", err, tt.wantCode, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("auth (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseClientAuthTwoHeaders(t *testing.T) {
	r := formRequest("", basic("c", "s"))
	r.Header.Add("Authorization", basic("d", "s"))
	if _, err := ParseClientAuth(r, url.Values{}); err == nil || err.Code != CodeInvalidClient {
		t.Errorf("error = %v, want invalid_client", err)
	}
}

// FuzzReadFormJSON feeds JSON token request bodies to ReadForm: it must
// never panic, and what it accepts must be single-valued parameters.
func FuzzReadFormJSON(f *testing.F) {
	for _, seed := range []string{
		`{"grant_type":"authorization_code","code":"abc","client_id":"client_x","client_secret":"s","redirect_uri":"https://a/cb"}`,
		`{"a":"1","a":"2"}`, `{"a":1}`, `{"a":{"b":"c"}}`, `[]`, `{}`, `{"a":"1"} x`, `{"a":"\u0000"}`, ``, `{`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		values, err := ReadForm(r)
		if err != nil {
			return
		}
		for k, vs := range values {
			if len(vs) != 1 {
				t.Fatalf("parameter %q has %d values", k, len(vs))
			}
		}
	})
}
