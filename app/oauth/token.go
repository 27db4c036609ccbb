package oauth

import (
	"encoding/json"
	"net/http"
	"strings"

	"optare/app"
	"optare/app/middleware"
	"optare/app/oidc"
)

// token is the token endpoint (RFC 6749 §3.2): authorization_code,
// refresh_token and client_credentials.
func (h *Handler) token(w http.ResponseWriter, r *http.Request) error {
	req, e := oidc.ParseTokenRequest(r)
	if e != nil {
		return e
	}
	res, err := h.svc.Token(r.Context(), req, middleware.ClientIP(r))
	if err != nil {
		return err
	}
	writeNoStore(w, res)
	return nil
}

// revoke is the revocation endpoint (RFC 7009): 200 whether or not the
// token was known.
func (h *Handler) revoke(w http.ResponseWriter, r *http.Request) error {
	form, auth, token, e := readTokenForm(r)
	if e != nil {
		return e
	}
	if _, e := oidc.Single(form, "token_type_hint"); e != nil {
		return e
	}
	if err := h.svc.Revoke(r.Context(), auth, token, middleware.ClientIP(r)); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	return nil
}

// introspect is the introspection endpoint (RFC 7662).
func (h *Handler) introspect(w http.ResponseWriter, r *http.Request) error {
	form, auth, token, e := readTokenForm(r)
	if e != nil {
		return e
	}
	if _, e := oidc.Single(form, "token_type_hint"); e != nil {
		return e
	}
	res, err := h.svc.Introspect(r.Context(), auth, token, middleware.ClientIP(r))
	if err != nil {
		return err
	}
	return writeNoStoreAppended(w, &res)
}

// readTokenForm reads the form, client authentication and the one token
// parameter of a revocation or introspection request.
func readTokenForm(r *http.Request) (form map[string][]string, auth oidc.ClientAuth, token string, e *oidc.Error) {
	values, e := oidc.ReadForm(r)
	if e != nil {
		return nil, auth, "", e
	}
	if token, e = oidc.Single(values, "token"); e != nil {
		return nil, auth, "", e
	}
	if auth, e = oidc.ParseClientAuth(r, values); e != nil {
		return nil, auth, "", e
	}
	if token == "" {
		return nil, auth, "", oidc.InvalidRequest("missing token")
	}
	return values, auth, token, nil
}

// userinfo is the UserInfo endpoint (OpenID Connect Core §5.3), GET or POST.
// A DPoP-bound token must come as Authorization: DPoP with a proof.
func (h *Handler) userinfo(w http.ResponseWriter, r *http.Request) error {
	req, e := accessRequest(r)
	if e != nil {
		return e
	}
	req.Prefetch = app.PrefetchUserInfo()
	info, err := h.svc.VerifyAccessRequest(r.Context(), req)
	if err != nil {
		return err
	}
	res, err := h.svc.UserInfo(r.Context(), info)
	if err != nil {
		return err
	}
	return writeNoStoreAppended(w, &res)
}

// accessRequest finds the access token of a protected-resource request:
// the Authorization header, Bearer (RFC 6750 §2.1) or DPoP (RFC 9449
// §7.1) with its DPoP proof, or, for a form POST, the access_token
// parameter (RFC 6750 §2.2, bearer tokens only) — not both.
func accessRequest(r *http.Request) (app.AccessRequest, *oidc.Error) {
	req := app.AccessRequest{Method: r.Method, Path: oidc.RequestPath(r)}
	var e *oidc.Error
	if req.Proof, e = oidc.DPoPProofHeader(r.Header); e != nil {
		return req, e
	}
	if auth := r.Header.Values("Authorization"); len(auth) > 0 {
		scheme, tok, ok := oidc.ParseAuthorization(auth[0])
		if len(auth) > 1 || !ok {
			return req, oidc.InvalidToken("use Authorization: Bearer <access token>, or DPoP <access token> with a DPoP proof")
		}
		req.Scheme, req.Token = scheme, tok
	}
	fromBody := ""
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, e := oidc.ReadForm(r)
		if e != nil {
			return req, e
		}
		if fromBody, e = oidc.Single(form, "access_token"); e != nil {
			return req, e
		}
	}
	switch {
	case req.Token != "" && fromBody != "":
		return req, oidc.InvalidRequest("send the access token once, in the header or the body")
	case fromBody != "":
		req.Scheme, req.Token = "Bearer", fromBody
	case req.Token == "":
		return req, oidc.InvalidToken("missing access token")
	}
	return req, nil
}

// writeNoStore writes v as JSON with the no-store headers token responses
// need (RFC 6749 §5.1).
func writeNoStore(w http.ResponseWriter, v any) {
	body, _ := json.Marshal(v) // the response types marshal without fail
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(http.StatusOK)
	w.Write(append(body, '\n'))
}

// par is the pushed authorization request endpoint (RFC 9126 §2): 201
// with the request_uri.
func (h *Handler) par(w http.ResponseWriter, r *http.Request) error {
	auth, params, e := oidc.ParsePARRequest(r)
	if e != nil {
		return e
	}
	res, err := h.svc.PushAuthorizationRequest(r.Context(), auth, params, middleware.ClientIP(r))
	if err != nil {
		return err
	}
	body, _ := json.Marshal(res) // a PARResponse always marshals
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	w.Write(append(body, '\n'))
	return nil
}
