package oidc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// DPoP (RFC 9449): names on the wire.
const (
	// HeaderDPoP carries a DPoP proof on token and resource requests.
	HeaderDPoP = "DPoP"
	// SchemeDPoP is the Authorization scheme of a DPoP-bound access token
	// and the token_type the token endpoint answers for one.
	SchemeDPoP = "DPoP"
	// TypeDPoPProof is the typ header of a DPoP proof.
	TypeDPoPProof = "dpop+jwt"
	// CodeInvalidDPoPProof answers a missing or bad proof (RFC 9449 §5, §7.1).
	CodeInvalidDPoPProof = "invalid_dpop_proof"
)

// DPoPWindow is how far a proof's iat may lie from the server's clock,
// either way: a proof is good for about a minute (and its jti must be
// remembered that long), and a client clock a little ahead still works.
const DPoPWindow = 60 * time.Second

// maxProofBytes bounds a proof before it is parsed: an RSA-4096 jwk and
// the claims fit in well under 4 KiB.
const maxProofBytes = 8 << 10

// minRSABits refuses RSA proof keys too small to mean anything.
const minRSABits = 2048

// DPoPAlgs are the signature algorithms accepted on DPoP proofs, all
// asymmetric (announced as dpop_signing_alg_values_supported).
var DPoPAlgs = []jose.SignatureAlgorithm{jose.ES256, jose.ES384, jose.EdDSA, jose.RS256, jose.PS256}

// DPoPAlgNames are DPoPAlgs as strings, for discovery and challenges.
func DPoPAlgNames() []string {
	out := make([]string, len(DPoPAlgs))
	for i, a := range DPoPAlgs {
		out[i] = string(a)
	}
	return out
}

// DPoPCheck is what a proof must match: the request it came with.
type DPoPCheck struct {
	// Method is the request's HTTP method (htm).
	Method string
	// URL is the request's URL as the client addresses the server, without
	// query or fragment (htu): the issuer's origin and the path.
	URL string
	// AccessToken, when set, must be the token the proof's ath hashes
	// (resource requests); empty at the token endpoint.
	AccessToken string
	Now         time.Time
}

// DPoPProof is a verified proof.
type DPoPProof struct {
	// JKT is the proof key's JWK SHA-256 thumbprint (RFC 7638), base64url:
	// the value a bound token's cnf.jkt carries.
	JKT      string
	JTI      string
	IssuedAt time.Time
}

// ReplayUntil is how long the proof's jti must be remembered: past it the
// iat check refuses the proof anyway.
func (p DPoPProof) ReplayUntil() time.Time { return p.IssuedAt.Add(DPoPWindow + time.Minute) }

type dpopClaims struct {
	JTI      string   `json:"jti"`
	HTM      string   `json:"htm"`
	HTU      string   `json:"htu"`
	IssuedAt *float64 `json:"iat"`
	ATH      *string  `json:"ath"`
}

// DPoPProofHeader returns the one DPoP header of a request: "" when there
// is none; more than one is refused (RFC 9449 §4.3 step 1).
func DPoPProofHeader(h http.Header) (string, *Error) {
	v := h.Values(HeaderDPoP)
	switch {
	case len(v) == 0:
		return "", nil
	case len(v) > 1:
		return "", NewError(CodeInvalidDPoPProof, "send exactly one DPoP header")
	case strings.TrimSpace(v[0]) == "":
		return "", NewError(CodeInvalidDPoPProof, "the DPoP header is empty")
	}
	return strings.TrimSpace(v[0]), nil
}

// VerifyDPoPProof checks a DPoP proof (RFC 9449 §4.3): a compact JWS with
// typ dpop+jwt, signed by a DPoPAlgs algorithm with the public key in its
// jwk header (never a private or symmetric key); jti, htm, htu and iat
// present; htm the request's method and htu its URL (scheme and host
// compared case-insensitively, default ports and query ignored); iat
// within DPoPWindow of now; and, for a resource request, ath the SHA-256
// of the access token. The caller makes the jti single use and compares
// JKT with the token's binding.
func VerifyDPoPProof(raw string, c DPoPCheck) (DPoPProof, error) {
	if len(raw) > maxProofBytes {
		return DPoPProof{}, errors.New("DPoP proof too large")
	}
	jws, err := jose.ParseSignedCompact(raw, DPoPAlgs)
	if err != nil {
		return DPoPProof{}, fmt.Errorf("DPoP proof: %w", err)
	}
	if len(jws.Signatures) != 1 {
		return DPoPProof{}, errors.New("DPoP proof must have one signature")
	}
	h := jws.Signatures[0].Header
	if typ, _ := h.ExtraHeaders[jose.HeaderType].(string); !strings.EqualFold(typ, TypeDPoPProof) {
		return DPoPProof{}, errors.New("DPoP proof typ must be dpop+jwt")
	}
	jwk := h.JSONWebKey
	if jwk == nil {
		return DPoPProof{}, errors.New("DPoP proof has no jwk header")
	}
	if err := checkProofKey(jwk); err != nil {
		return DPoPProof{}, err
	}
	payload, err := jws.Verify(jwk)
	if err != nil {
		return DPoPProof{}, errors.New("DPoP proof signature does not verify with its jwk")
	}
	var cl dpopClaims
	if err := json.Unmarshal(payload, &cl); err != nil {
		return DPoPProof{}, fmt.Errorf("DPoP proof claims: %w", err)
	}
	switch {
	case cl.JTI == "" || len(cl.JTI) > 256:
		return DPoPProof{}, errors.New("DPoP proof needs a jti (at most 256 characters)")
	case cl.HTM == "" || cl.HTU == "" || cl.IssuedAt == nil:
		return DPoPProof{}, errors.New("DPoP proof needs htm, htu and iat")
	case cl.HTM != c.Method:
		return DPoPProof{}, fmt.Errorf("DPoP proof htm %q is not the request's method %s", cl.HTM, c.Method)
	}
	if !SameHTU(cl.HTU, c.URL) {
		return DPoPProof{}, fmt.Errorf("DPoP proof htu %q is not this request's URL %s", cl.HTU, c.URL)
	}
	iatF := *cl.IssuedAt
	if math.IsNaN(iatF) || math.IsInf(iatF, 0) || iatF < 0 || iatF > 1<<40 {
		return DPoPProof{}, errors.New("DPoP proof iat is not a time")
	}
	iat := time.Unix(int64(iatF), 0).UTC()
	if d := c.Now.Sub(iat); d > DPoPWindow || d < -DPoPWindow {
		return DPoPProof{}, errors.New("DPoP proof iat is more than 60 seconds from the server's time; make a fresh proof")
	}
	if c.AccessToken != "" {
		sum := sha256.Sum256([]byte(c.AccessToken))
		want := base64.RawURLEncoding.EncodeToString(sum[:])
		if cl.ATH == nil || subtle.ConstantTimeCompare([]byte(*cl.ATH), []byte(want)) != 1 {
			return DPoPProof{}, errors.New("DPoP proof ath is not the hash of this access token")
		}
	}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return DPoPProof{}, fmt.Errorf("DPoP proof jwk thumbprint: %w", err)
	}
	return DPoPProof{JKT: base64.RawURLEncoding.EncodeToString(tp), JTI: cl.JTI, IssuedAt: iat}, nil
}

// checkProofKey accepts public EC, Ed25519 and RSA (2048 bits or more)
// keys only: a symmetric or private key in a proof is refused.
func checkProofKey(k *jose.JSONWebKey) error {
	if !k.Valid() || !k.IsPublic() {
		return errors.New("DPoP proof jwk must be a public key")
	}
	switch pub := k.Key.(type) {
	case *ecdsa.PublicKey, ed25519.PublicKey:
		return nil
	case *rsa.PublicKey:
		if pub.N.BitLen() < minRSABits {
			return errors.New("DPoP proof RSA key is smaller than 2048 bits")
		}
		return nil
	}
	return errors.New("DPoP proof jwk must be an EC, OKP or RSA public key")
}

// SameHTU reports whether a proof's htu names url: equal after dropping
// query and fragment, lower-casing scheme and host and dropping a default
// port (RFC 9449 §4.3 step 9, RFC 3986 §6.2.2–6.2.3).
func SameHTU(htu, want string) bool {
	a, ok1 := normalHTU(htu)
	b, ok2 := normalHTU(want)
	return ok1 && ok2 && a == b
}

func normalHTU(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return "", false
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path, true
}

// AccessTokenHash is the ath of a proof for token (RFC 9449 §4.2):
// base64url of its SHA-256.
func AccessTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
