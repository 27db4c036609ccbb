package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// SecretPrefix starts every signing secret (Standard Webhooks' convention).
const SecretPrefix = "whsec_"

// NewSecret returns a random signing secret: whsec_ and base64 of 32 bytes.
func NewSecret() string {
	var b [32]byte
	rand.Read(b[:])
	return SecretPrefix + base64.StdEncoding.EncodeToString(b[:])
}

// Signature is the webhook-signature value for one message: "v1,<base64
// HMAC-SHA256 of id.timestamp.body>" per secret, space-separated, so a
// receiver holding either secret verifies it during a rotation.
func Signature(id string, ts time.Time, body []byte, secrets ...string) (string, error) {
	var sigs []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, SecretPrefix))
		if err != nil {
			return "", errors.New("webhook secret is not base64")
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(id + "." + strconv.FormatInt(ts.Unix(), 10) + "."))
		mac.Write(body)
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	}
	if len(sigs) == 0 {
		return "", errors.New("no webhook secret")
	}
	return strings.Join(sigs, " "), nil
}
