package oidc

import (
	"net/http"
	"net/url"
	"strings"
)

// ParseAuthorization reads an Authorization header carrying an access
// token: scheme Bearer (RFC 6750 §2.1) or DPoP (RFC 9449 §7.1), either
// spelled in any case, and a non-empty token. scheme is returned as
// "Bearer" or "DPoP"; ok is false for anything else.
func ParseAuthorization(v string) (scheme, token string, ok bool) {
	s, tok, _ := strings.Cut(v, " ")
	tok = strings.TrimSpace(tok)
	if tok == "" || strings.ContainsAny(tok, " \t") {
		return "", "", false
	}
	switch {
	case strings.EqualFold(s, "Bearer"):
		return "Bearer", tok, true
	case strings.EqualFold(s, SchemeDPoP):
		return SchemeDPoP, tok, true
	}
	return "", "", false
}

// DPoPChallenge returns the WWW-Authenticate value of a DPoP-protected
// resource for err (RFC 9449 §7.1): the accepted proof algorithms, then
// error and error_description, e.g.
// `DPoP algs="ES256 …", error="invalid_dpop_proof", error_description="…"`.
func DPoPChallenge(err *Error) string {
	var b strings.Builder
	b.WriteString(`DPoP algs="` + strings.Join(DPoPAlgNames(), " ") + `"`)
	if err == nil {
		return b.String()
	}
	if code := headerSafe(err.Code); code != "" {
		b.WriteString(`, error="` + code + `"`)
	}
	if desc := headerSafe(err.Description); desc != "" {
		b.WriteString(`, error_description="` + desc + `"`)
	}
	return b.String()
}

// WriteDPoPError writes err as a protected resource's refusal of a DPoP
// request: the JSON error body with a DPoP challenge. invalid_dpop_proof
// answers 401 here (at the token endpoint it is a 400).
func WriteDPoPError(w http.ResponseWriter, err *Error) {
	if err == nil {
		err = InvalidToken("")
	}
	if err.Code == CodeInvalidDPoPProof {
		cp := *err
		cp.Status = http.StatusUnauthorized
		err = &cp
	}
	writeError(w, err, DPoPChallenge(err))
}

// RequestPath is the path a request was sent to, as the client wrote it
// (the proof's htu names it): from the request line, since a mux that
// strips a prefix (the REST API under /api/v1) rewrites URL.Path.
func RequestPath(r *http.Request) string {
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil && u.Path != "" {
		return u.EscapedPath()
	}
	return r.URL.EscapedPath()
}
