package app

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"optare/app/oidc"
	"optare/store"
)

// Confirmation is the cnf claim of a sender-constrained access token (RFC
// 7800): the JWK SHA-256 thumbprint of the DPoP key it is bound to (RFC
// 9449 §6.1).
type Confirmation struct {
	JKT string `json:"jkt"`
}

// AccessRequest is an access token as a protected-resource request
// presents it: its Authorization scheme, the token, the DPoP proof header
// (empty when none), and the request's method and path, which the proof
// must name (its htu is the issuer plus Path).
type AccessRequest struct {
	Scheme string
	Token  string
	Proof  string
	Method string
	Path   string
	// Prefetch names what the request reads once the token (or API key) is
	// verified, read with it when the caches miss it.
	Prefetch Prefetch
}

// BearerRequest is an AccessRequest for a bearer token without a proof.
func BearerRequest(token string) AccessRequest {
	return AccessRequest{Scheme: "Bearer", Token: token}
}

// errDPoP refuses a missing or bad DPoP proof at a protected resource: 401
// invalid_dpop_proof with a DPoP challenge (RFC 9449 §7.1).
func errDPoP(msg string, cause error) *Error {
	return &Error{Kind: KindUnauthenticated, Code: oidc.CodeInvalidDPoPProof, Message: msg, Err: cause}
}

// errWrongScheme refuses a token sent with the wrong Authorization scheme:
// a DPoP-bound token as Bearer (which would let a stolen token be used
// without its key) or a plain token as DPoP.
func errWrongScheme(msg string) *Error {
	return &Error{Kind: KindUnauthenticated, Code: oidc.CodeInvalidToken, Message: msg}
}

// IsDPoPError reports whether err should be answered with a DPoP
// challenge: a refused proof, or a token sent with the wrong scheme for
// its binding.
func IsDPoPError(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Code == oidc.CodeInvalidDPoPProof || e == errBoundAsBearer)
}

// errBoundAsBearer refuses a DPoP-bound token presented as a bearer token.
var errBoundAsBearer = errWrongScheme("This access token is bound to a DPoP key: send it as Authorization: DPoP with a DPoP proof.")

// VerifyAccessRequest verifies the access token of a protected-resource
// request (VerifyAccessToken) and its sender constraint: a DPoP-bound
// token (cnf.jkt) must come with the DPoP scheme and a proof for this
// method and URL, carrying the token's hash (ath), signed by the bound
// key, with a jti never seen before on any server; an unbound token must
// come as Bearer. Userinfo, the REST API and the licence routes all
// authenticate access tokens here.
func (s *Service) VerifyAccessRequest(ctx context.Context, req AccessRequest) (AccessTokenInfo, error) {
	info, err := s.verifyAccess(ctx, req.Token, req.Prefetch)
	if err != nil {
		return AccessTokenInfo{}, err
	}
	dpop := strings.EqualFold(req.Scheme, oidc.SchemeDPoP)
	switch {
	case info.JKT == "" && dpop:
		return AccessTokenInfo{}, errWrongScheme("This access token is not bound to a DPoP key: send it as Authorization: Bearer.")
	case info.JKT == "":
		// A bearer token; a proof sent beside it proves nothing and is
		// ignored.
		return info, nil
	case !dpop:
		return AccessTokenInfo{}, errBoundAsBearer
	case req.Proof == "":
		return AccessTokenInfo{}, errDPoP("This access token is bound to a DPoP key: send a DPoP proof with the request.", nil)
	}
	proof, err := s.verifyProof(ctx, req.Proof, oidc.DPoPCheck{Method: req.Method, URL: s.Issuer() + req.Path,
		AccessToken: req.Token, Now: s.now()})
	if err != nil {
		return AccessTokenInfo{}, err
	}
	if proof.JKT != info.JKT {
		return AccessTokenInfo{}, errDPoP("The DPoP proof is signed by another key than the one this access token is bound to.", nil)
	}
	return info, nil
}

// verifyProof checks a DPoP proof (oidc.VerifyDPoPProof) and uses up its
// jti in the database, so a replay is refused by every server sharing it.
// Refusals are errDPoP; the cause names what was wrong.
func (s *Service) verifyProof(ctx context.Context, raw string, check oidc.DPoPCheck) (oidc.DPoPProof, error) {
	proof, err := oidc.VerifyDPoPProof(raw, check)
	if err != nil {
		return proof, errDPoP(strings.TrimSuffix(strings.TrimPrefix(err.Error(), "DPoP proof: "), ".")+".", err)
	}
	var fresh bool
	err = s.db.Write(ctx, func(tx *store.Tx) (err error) {
		fresh, err = tx.RecordJTI(ctx, oidc.HashSecret("dpop\x00"+proof.JKT+"\x00"+proof.JTI), proof.ReplayUntil())
		return err
	})
	if err != nil {
		return proof, errInternal("record DPoP proof jti: %w", err)
	}
	if !fresh {
		return proof, errDPoP("This DPoP proof was already used: make a new proof (a fresh jti) for every request.", nil)
	}
	return proof, nil
}

// tokenProof checks the DPoP proof of a token request (RFC 9449 §5) and
// returns the key thumbprint the new tokens are bound to; "" when the
// request has no proof, which a client that requires DPoP is refused.
// Refusals are 400 invalid_dpop_proof.
func (s *Service) tokenProof(ctx context.Context, c store.Client, raw string) (string, error) {
	if raw == "" {
		if c.RequireDPoP {
			return "", oidc.NewError(oidc.CodeInvalidDPoPProof, "this client must send a DPoP proof with every token request")
		}
		return "", nil
	}
	proof, err := s.verifyProof(ctx, raw, oidc.DPoPCheck{Method: http.MethodPost, URL: s.Issuer() + oidc.PathToken, Now: s.now()})
	if err != nil {
		if e := AsError(err); e.Kind == KindUnauthenticated {
			return "", oidc.NewError(oidc.CodeInvalidDPoPProof, e.Message)
		}
		return "", err
	}
	return proof.JKT, nil
}

// refreshBinding checks a refresh token's DPoP binding: a family bound to
// a key refreshes only with a proof made by that key.
func refreshBinding(g store.Grant, jkt string) *oidc.Error {
	switch {
	case g.DPoPJKT == "" || g.DPoPJKT == jkt:
		return nil
	case jkt == "":
		return oidc.NewError(oidc.CodeInvalidDPoPProof, "this refresh token is bound to a DPoP key: send a DPoP proof made with it")
	}
	return oidc.NewError(oidc.CodeInvalidDPoPProof, "the DPoP proof is signed by another key than the one this refresh token is bound to")
}

// familyBinding is the key a new token family is bound to: a public
// client's refresh tokens are bound to the key of the request that
// started the family (RFC 9449 §5); a confidential client's are protected
// by its authentication instead.
func familyBinding(c store.Client, jkt string) string {
	if c.Public {
		return jkt
	}
	return ""
}
