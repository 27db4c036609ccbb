package oidc

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAuthorizeRequest(t *testing.T) {
	base := func(extra string) url.Values {
		v, err := url.ParseQuery("client_id=client_1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&state=st" + extra)
		if err != nil {
			panic(err)
		}
		return v
	}
	intp := func(n int) *int { return &n }
	tests := []struct {
		name             string
		in               url.Values
		want             AuthorizeRequest // compared when wantCode is ""
		wantCode         string
		wantRedirectable bool
		wantState        string
	}{
		{
			name: "minimal",
			in:   base(""),
			want: AuthorizeRequest{ClientID: "client_1", RedirectURI: "https://app.example/cb", ResponseType: "code", State: "st"},
		},
		{
			name: "everything",
			in: base("&scope=openid+email++openid&nonce=n-1&code_challenge=" + rfcChallenge +
				"&code_challenge_method=S256&prompt=login+consent&max_age=3600&response_mode=query"),
			want: AuthorizeRequest{
				ClientID: "client_1", RedirectURI: "https://app.example/cb", ResponseType: "code", State: "st",
				Scope: "openid email  openid", Scopes: []string{"openid", "email"}, Nonce: "n-1",
				CodeChallenge: rfcChallenge, CodeChallengeMethod: "S256", Prompt: "login consent",
				MaxAge: intp(3600), ResponseMode: "query",
			},
		},
		{
			name: "plain is the default method",
			in:   base("&code_challenge=" + rfcVerifier),
			want: AuthorizeRequest{
				ClientID: "client_1", RedirectURI: "https://app.example/cb", ResponseType: "code", State: "st",
				CodeChallenge: rfcVerifier, CodeChallengeMethod: "plain",
			},
		},
		{
			name: "max_age zero",
			in:   base("&max_age=0"),
			want: AuthorizeRequest{ClientID: "client_1", RedirectURI: "https://app.example/cb", ResponseType: "code", State: "st", MaxAge: intp(0)},
		},
		{
			name: "no redirect_uri, empty values read as absent",
			in:   url.Values{"client_id": {"c"}, "response_type": {"code"}, "nonce": {""}, "max_age": {""}},
			want: AuthorizeRequest{ClientID: "c", ResponseType: "code"},
		},
		{name: "missing client_id", in: url.Values{"response_type": {"code"}}, wantCode: CodeInvalidRequest},
		{name: "empty client_id", in: base("&client_id="), wantCode: CodeInvalidRequest},
		{name: "duplicate client_id", in: base("&client_id=other"), wantCode: CodeInvalidRequest},
		{name: "duplicate redirect_uri", in: base("&redirect_uri=https%3A%2F%2Fevil%2Fcb"), wantCode: CodeInvalidRequest},
		{name: "duplicate state", in: base("&state=again"), wantCode: CodeInvalidRequest, wantRedirectable: true},
		{name: "duplicate scope", in: base("&scope=openid&scope=email"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "duplicate nonce", in: base("&nonce=a&nonce=b"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "missing response_type", in: url.Values{"client_id": {"c"}, "state": {"s"}}, wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "s"},
		{name: "token response_type", in: url.Values{"client_id": {"c"}, "response_type": {"token"}}, wantCode: CodeUnsupportedResponseType, wantRedirectable: true},
		{name: "hybrid response_type", in: url.Values{"client_id": {"c"}, "response_type": {"code id_token"}}, wantCode: CodeUnsupportedResponseType, wantRedirectable: true},
		{name: "fragment response_mode", in: base("&response_mode=fragment"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "bad scope character", in: base("&scope=openid+%22x%22"), wantCode: CodeInvalidScope, wantRedirectable: true, wantState: "st"},
		{name: "negative max_age", in: base("&max_age=-1"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "signed max_age", in: base("&max_age=%2B5"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "max_age not a number", in: base("&max_age=1h"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "max_age overflow", in: base("&max_age=99999999999999999999"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "unknown prompt", in: base("&prompt=create"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "prompt none with login", in: base("&prompt=none+login"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "method without challenge", in: base("&code_challenge_method=S256"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "unknown method", in: base("&code_challenge=" + rfcChallenge + "&code_challenge_method=S512"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "short challenge", in: base("&code_challenge=abc"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "challenge bad char", in: base("&code_challenge=" + strings.Repeat("a", 42) + "%2B"), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "S256 challenge too long", in: base("&code_challenge_method=S256&code_challenge=" + strings.Repeat("a", 44)), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "S256 challenge with dot", in: base("&code_challenge_method=S256&code_challenge=" + strings.Repeat("a", 42) + "."), wantCode: CodeInvalidRequest, wantRedirectable: true, wantState: "st"},
		{name: "request object", in: base("&request=eyJ"), wantCode: CodeRequestNotSupported, wantRedirectable: true, wantState: "st"},
		{name: "request_uri", in: base("&request_uri=https%3A%2F%2Fx"), wantCode: CodeRequestURINotSupported, wantRedirectable: true, wantState: "st"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAuthorizeRequest(tt.in)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("request (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %s; got %+v", tt.wantCode, got)
			}
			if err.Code != tt.wantCode || err.Redirectable != tt.wantRedirectable {
				t.Errorf("error %v redirectable=%v, want %s redirectable=%v", err, err.Redirectable, tt.wantCode, tt.wantRedirectable)
			}
			if got.State != tt.wantState {
				t.Errorf("State = %q, want %q", got.State, tt.wantState)
			}
		})
	}
}

func TestHasPrompt(t *testing.T) {
	req := AuthorizeRequest{Prompt: "login  consent"}
	for _, p := range []string{"login", "consent"} {
		if !req.HasPrompt(p) {
			t.Errorf("HasPrompt(%q) = false", p)
		}
	}
	for _, p := range []string{"none", "log", ""} {
		if req.HasPrompt(p) {
			t.Errorf("HasPrompt(%q) = true", p)
		}
	}
}

func TestParseAuthorizeRequestDuplicateMessage(t *testing.T) {
	_, err := ParseAuthorizeRequest(url.Values{"client_id": {"a", "b"}})
	if err == nil || err.Description != "parameter client_id included more than once" {
		t.Errorf("error = %v", err)
	}
}

func FuzzParseAuthorizeRequest(f *testing.F) {
	f.Add("client_id=c&response_type=code&state=s&scope=openid&code_challenge=" + rfcChallenge + "&code_challenge_method=S256")
	f.Add("client_id=c&client_id=d")
	f.Add("client_id=c&response_type=code&prompt=none+login&max_age=-1")
	f.Add("client_id=c&response_type=code&max_age=007&code_challenge=" + rfcVerifier)
	f.Add("client_id=c&response_type=code&scope=%22&request_uri=x")
	f.Add("")
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		req, e := ParseAuthorizeRequest(v)
		if e != nil {
			if e.Code == "" || e.StatusCode() != 400 {
				t.Fatalf("bad error %+v", e)
			}
			if e.Redirectable && (req.ClientID == "" || len(v["client_id"]) != 1 || len(v["redirect_uri"]) > 1) {
				t.Fatalf("redirectable error %v for a request whose client or redirect URI is unclear", e)
			}
			return
		}
		if req.ClientID == "" || req.ResponseType != ResponseTypeCode {
			t.Fatalf("accepted %+v", req)
		}
		if req.MaxAge != nil && *req.MaxAge < 0 {
			t.Fatalf("negative max_age %d", *req.MaxAge)
		}
		if req.CodeChallenge != "" {
			switch req.CodeChallengeMethod {
			case PKCEMethodS256:
				if !validS256Challenge(req.CodeChallenge) {
					t.Fatalf("bad S256 challenge %q", req.CodeChallenge)
				}
			case PKCEMethodPlain:
				if !validVerifier(req.CodeChallenge) {
					t.Fatalf("bad plain challenge %q", req.CodeChallenge)
				}
			default:
				t.Fatalf("method %q", req.CodeChallengeMethod)
			}
		} else if req.CodeChallengeMethod != "" {
			t.Fatalf("method %q without challenge", req.CodeChallengeMethod)
		}
		if req.HasPrompt(PromptNone) && len(strings.Fields(req.Prompt)) != 1 {
			t.Fatalf("prompt %q", req.Prompt)
		}
		if JoinScope(req.Scopes) != strings.Join(strings.Fields(req.Scope), " ") && len(req.Scopes) == len(strings.Fields(req.Scope)) {
			t.Fatalf("scopes %q from %q", req.Scopes, req.Scope)
		}
	})
}
