package oidc

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNewErrorStatus(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		code string
		want int
	}{
		{"invalid_request", InvalidRequest("x"), CodeInvalidRequest, 400},
		{"invalid_client", InvalidClient("x"), CodeInvalidClient, 401},
		{"invalid_grant", InvalidGrant("x"), CodeInvalidGrant, 400},
		{"unauthorized_client", UnauthorizedClient("x"), CodeUnauthorizedClient, 400},
		{"unsupported_grant_type", UnsupportedGrantType("x"), CodeUnsupportedGrantType, 400},
		{"invalid_scope", InvalidScope("x"), CodeInvalidScope, 400},
		{"unsupported_response_type", UnsupportedResponseType("x"), CodeUnsupportedResponseType, 400},
		{"access_denied", AccessDenied("x"), CodeAccessDenied, 400},
		{"login_required", LoginRequired("x"), CodeLoginRequired, 400},
		{"consent_required", ConsentRequired("x"), CodeConsentRequired, 400},
		{"interaction_required", InteractionRequired("x"), CodeInteractionRequired, 400},
		{"server_error", ServerError("x"), CodeServerError, 500},
		{"temporarily_unavailable", TemporarilyUnavailable("x"), CodeTemporarilyUnavailable, 503},
		{"invalid_token", InvalidToken("x"), CodeInvalidToken, 401},
		{"insufficient_scope", NewError(CodeInsufficientScope, "x"), CodeInsufficientScope, 403},
		{"zero status uses default", &Error{Code: CodeInvalidClient}, CodeInvalidClient, 401},
		{"explicit status wins", &Error{Code: CodeInvalidClient, Status: 400}, CodeInvalidClient, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err.Code != tt.code {
				t.Errorf("Code = %q, want %q", tt.err.Code, tt.code)
			}
			if got := tt.err.StatusCode(); got != tt.want {
				t.Errorf("StatusCode() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	if got, want := InvalidGrant("code expired").Error(), "oauth: invalid_grant: code expired"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := (&Error{Code: CodeAccessDenied}).Error(), "oauth: access_denied"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestWriteJSON(t *testing.T) {
	tests := []struct {
		name       string
		err        *Error
		wantStatus int
		wantBody   map[string]string
		wantAuth   string
	}{
		{
			name:       "invalid_grant",
			err:        InvalidGrant("code already used"),
			wantStatus: 400,
			wantBody:   map[string]string{"error": "invalid_grant", "error_description": "code already used"},
		},
		{
			name:       "invalid_client challenges Basic",
			err:        InvalidClient("unknown client"),
			wantStatus: 401,
			wantBody:   map[string]string{"error": "invalid_client", "error_description": "unknown client"},
			wantAuth:   `Basic realm="optare"`,
		},
		{
			name:       "invalid_client answered 400 has no challenge",
			err:        &Error{Code: CodeInvalidClient, Status: 400},
			wantStatus: 400,
			wantBody:   map[string]string{"error": "invalid_client"},
		},
		{
			name:       "error_uri",
			err:        &Error{Code: CodeInvalidScope, Description: "no", URI: "https://docs.example/e"},
			wantStatus: 400,
			wantBody:   map[string]string{"error": "invalid_scope", "error_description": "no", "error_uri": "https://docs.example/e"},
		},
		{
			name:       "nil is server_error",
			err:        nil,
			wantStatus: 500,
			wantBody:   map[string]string{"error": "server_error"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteJSON(rec, tt.err)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			checkNoStore(t, rec.Header())
			if got := rec.Header().Get("WWW-Authenticate"); got != tt.wantAuth {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.wantAuth)
			}
			var body map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if diff := cmp.Diff(tt.wantBody, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func checkNoStore(t *testing.T, h http.Header) {
	t.Helper()
	if got := h.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	if got := h.Get("Pragma"); got != "no-cache" {
		t.Errorf("Pragma = %q, want no-cache", got)
	}
	if got := h.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
}

func TestWriteBearerError(t *testing.T) {
	tests := []struct {
		name       string
		err        *Error
		wantStatus int
		wantAuth   string
	}{
		{
			name:       "invalid_token",
			err:        InvalidToken("token expired"),
			wantStatus: 401,
			wantAuth:   `Bearer realm="optare", error="invalid_token", error_description="token expired"`,
		},
		{
			name:       "quotes and backslashes cannot escape",
			err:        InvalidToken(`bad "token" \ here`),
			wantStatus: 401,
			wantAuth:   `Bearer realm="optare", error="invalid_token", error_description="bad 'token' / here"`,
		},
		{
			name:       "control characters and non-ASCII dropped",
			err:        InvalidToken("line\r\nSet-Cookie: x=1 — é"),
			wantStatus: 401,
			wantAuth:   `Bearer realm="optare", error="invalid_token", error_description="lineSet-Cookie: x=1  "`,
		},
		{
			name:       "no description",
			err:        &Error{Code: CodeInvalidToken},
			wantStatus: 401,
			wantAuth:   `Bearer realm="optare", error="invalid_token"`,
		},
		{
			name:       "insufficient_scope is 403",
			err:        NewError(CodeInsufficientScope, "needs admin"),
			wantStatus: 403,
			wantAuth:   `Bearer realm="optare", error="insufficient_scope", error_description="needs admin"`,
		},
		{
			name:       "nil is invalid_token",
			wantStatus: 401,
			wantAuth:   `Bearer realm="optare", error="invalid_token"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteBearerError(rec, tt.err)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			checkNoStore(t, rec.Header())
			if got := rec.Header().Get("WWW-Authenticate"); got != tt.wantAuth {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.wantAuth)
			}
		})
	}
}

func TestRedirectURL(t *testing.T) {
	const iss = "https://id.example.com"
	tests := []struct {
		name        string
		redirectURI string
		err         *Error
		state       string
		issuer      string
		want        string
	}{
		{
			name:        "plain",
			redirectURI: "https://app.example.com/cb",
			err:         AccessDenied("the user denied the request"),
			state:       "xyz",
			issuer:      iss,
			want:        "https://app.example.com/cb?error=access_denied&error_description=the+user+denied+the+request&iss=https%3A%2F%2Fid.example.com&state=xyz",
		},
		{
			name:        "existing query kept verbatim",
			redirectURI: "https://app.example.com/cb?z=1&a=%2F",
			err:         &Error{Code: CodeLoginRequired},
			issuer:      iss,
			want:        "https://app.example.com/cb?z=1&a=%2F&error=login_required&iss=https%3A%2F%2Fid.example.com",
		},
		{
			name:        "trailing question mark",
			redirectURI: "http://localhost:3000/cb?",
			err:         &Error{Code: CodeConsentRequired},
			state:       "s",
			want:        "http://localhost:3000/cb?error=consent_required&state=s",
		},
		{
			name:        "fragment dropped",
			redirectURI: "com.example.app:/cb#frag",
			err:         &Error{Code: CodeInvalidScope, URI: "https://docs/e"},
			want:        "com.example.app:/cb?error=invalid_scope&error_uri=https%3A%2F%2Fdocs%2Fe",
		},
		{
			name:        "state is encoded",
			redirectURI: "https://a.example/cb",
			err:         &Error{Code: CodeInvalidRequest},
			state:       "a&b=c d",
			want:        "https://a.example/cb?error=invalid_request&state=a%26b%3Dc+d",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RedirectURL(tt.redirectURI, tt.err, tt.state, tt.issuer)
			if got != tt.want {
				t.Errorf("RedirectURL() =\n %s\nwant\n %s", got, tt.want)
			}
			if _, err := url.Parse(got); err != nil {
				t.Errorf("result does not parse: %v", err)
			}
		})
	}
}

func TestCodeRedirectURL(t *testing.T) {
	got := CodeRedirectURL("https://app.example.com/cb?x=1", "abc", "st", "http://localhost:8080")
	want := "https://app.example.com/cb?x=1&code=abc&iss=http%3A%2F%2Flocalhost%3A8080&state=st"
	if got != want {
		t.Errorf("CodeRedirectURL() = %s, want %s", got, want)
	}
	u, _ := url.Parse(got)
	if q := u.Query(); q.Get("x") != "1" || q.Get("code") != "abc" || !strings.HasPrefix(q.Get("iss"), "http://") {
		t.Errorf("query = %v", q)
	}
}
