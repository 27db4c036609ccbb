package oidc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
)

// header returns the base64url-encoded protected header of a token of
// typ signed by the signing key, {"alg","kid","typ"}, encoded once per
// type.
func (ks *KeySet) header(typ string) string {
	ks.mu.RLock()
	h, ok := ks.headers[typ]
	ks.mu.RUnlock()
	if ok {
		return h
	}
	v := struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
		Typ string `json:"typ,omitempty"`
	}{ks.signing.Alg, ks.signing.ID, typ}
	b, _ := json.Marshal(v) // three strings always marshal
	h = base64.RawURLEncoding.EncodeToString(b)
	ks.mu.Lock()
	ks.headers[typ] = h
	ks.mu.Unlock()
	return h
}

// signCompact signs header.payload with k (RFC 7515 compact
// serialization): RS256 is RSASSA-PKCS1-v1_5 with SHA-256, ES256 the P-256
// signature as the 64 bytes r‖s (RFC 7518 §3.4), EdDSA Ed25519.
func signCompact(k Key, header string, payload []byte) (string, error) {
	enc := base64.RawURLEncoding
	buf := make([]byte, 0, len(header)+1+enc.EncodedLen(len(payload))+1+enc.EncodedLen(512))
	buf = append(buf, header...)
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, payload)
	input := buf
	var sig []byte
	switch priv := k.Private.(type) {
	case *rsa.PrivateKey:
		digest := sha256.Sum256(input)
		var err error
		if sig, err = rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest[:]); err != nil {
			return "", err
		}
	case *ecdsa.PrivateKey:
		digest := sha256.Sum256(input)
		r, s, err := ecdsa.Sign(rand.Reader, priv, digest[:])
		if err != nil {
			return "", err
		}
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	case ed25519.PrivateKey:
		sig = ed25519.Sign(priv, input)
	default:
		return "", errors.New("unsupported signing key")
	}
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, sig)
	return string(buf), nil
}
