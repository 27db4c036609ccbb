package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"optare/app"
	"optare/app/api"
)

// licenseClaims are the custom claims an app reads, decoded by go-jose.
type licenseClaims struct {
	OrganizationID string `json:"organizationId"`
	Product        struct {
		ID       string   `json:"id"`
		Slug     string   `json:"slug"`
		Name     string   `json:"name"`
		Features []string `json:"features"`
	} `json:"product"`
	Subscription struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"subscription"`
	Grace           int64  `json:"grace"`
	FingerprintHash string `json:"fingerprint_hash"`
}

// servedJWKS fetches the JWKS as an app would.
func (f *fixture) servedJWKS(t *testing.T) jose.JSONWebKeySet {
	t.Helper()
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, httptest.NewRequest("GET", "/.well-known/jwks.json", nil))
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(rec.Body.Bytes(), &set); rec.Code != 200 || err != nil {
		t.Fatalf("JWKS %d %v", rec.Code, err)
	}
	return set
}

// verifyWithJose is an app's offline check, written with go-jose alone:
// signature by the kid's key, typ, then iss/aud/exp at now with grace.
func verifyWithJose(t *testing.T, set jose.JSONWebKeySet, token, product string, now time.Time) (jwt.Claims, licenseClaims, error) {
	t.Helper()
	var std jwt.Claims
	var lc licenseClaims
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		return std, lc, err
	}
	if typ := parsed.Headers[0].ExtraHeaders[jose.HeaderType]; typ != "license+jwt" {
		t.Fatalf("typ %v", typ)
	}
	keys := set.Key(parsed.Headers[0].KeyID)
	if len(keys) != 1 || keys[0].Algorithm != "EdDSA" {
		return std, lc, errors.New("kid not in the JWKS")
	}
	if err := parsed.Claims(keys[0].Key, &std, &lc); err != nil {
		return std, lc, err
	}
	err = std.ValidateWithLeeway(jwt.Expected{Issuer: "http://localhost:8080", AnyAudience: jwt.Audience{product}, Time: now}, 0)
	if errors.Is(err, jwt.ErrExpired) && now.Before(std.Expiry.Time().Add(time.Duration(lc.Grace)*time.Second)) {
		err = errInGrace
	}
	return std, lc, err
}

var errInGrace = errors.New("in grace")

func TestLicenseTokenVerifiedOfflineWithGoJose(t *testing.T) {
	f := newFixture(t)
	f.product(t, "alpha")
	f.product(t, "beta")
	f.mustCall(t, &f.opKey, 200, "PATCH", "/v1/products/alpha", `{"license_check_in_seconds":86400,"license_grace_seconds":7200}`)
	sub := f.subscription(t, "alpha", 5, "")
	member := f.member.User.ID

	out := f.mustCall(t, &f.acmeKey, 200, "POST", "/api/v1/licenses/token", `{"product":"alpha","user_id":"`+member+`","fingerprint":"machine-1"}`)
	token, _ := out["token"].(string)
	if out["valid"] != true || out["code"] != "VALID" || token == "" || out["expires_at"] == nil || out["check_in_after"] == nil {
		t.Fatalf("token answer %v", out)
	}
	set := f.servedJWKS(t)
	now := f.env.Clock.Now()
	std, lc, err := verifyWithJose(t, set, token, "alpha", now)
	if err != nil {
		t.Fatalf("fresh token: %v", err)
	}
	sum := sha256.Sum256([]byte("machine-1"))
	if std.Subject != member || lc.OrganizationID != f.member.Org.ID || lc.Product.Slug != "alpha" || len(lc.Product.Features) != 2 ||
		lc.Subscription.ID != sub || lc.Subscription.Status != "active" || std.ID == "" || lc.Grace != 7200 ||
		std.Expiry.Time().Sub(std.IssuedAt.Time()) != 24*time.Hour || lc.FingerprintHash != hex.EncodeToString(sum[:]) {
		t.Fatalf("claims %+v %+v", std, lc)
	}
	if _, _, err := verifyWithJose(t, set, token, "beta", now); !errors.Is(err, jwt.ErrInvalidAudience) {
		t.Fatalf("wrong product: %v", err)
	}
	other := sha256.Sum256([]byte("machine-2"))
	if lc.FingerprintHash == hex.EncodeToString(other[:]) {
		t.Fatal("another machine's fingerprint matches")
	}
	if _, _, err := verifyWithJose(t, set, token, "alpha", now.Add(25*time.Hour)); !errors.Is(err, errInGrace) {
		t.Fatalf("after exp, within grace: %v", err)
	}
	if _, _, err := verifyWithJose(t, set, token, "alpha", now.Add(26*time.Hour+time.Second)); !errors.Is(err, jwt.ErrExpired) {
		t.Fatalf("after grace: %v", err)
	}

	// Rotation: the next licence key is published first, then signs; the
	// old token still verifies against the served JWKS.
	if _, err := f.svc.RotateKeys(f.ctx, app.CLI()); err != nil {
		t.Fatal(err)
	}
	f.env.Clock.Advance(app.KeyPublishBeforeUse)
	rot, err := f.svc.RotateKeys(f.ctx, app.CLI())
	if err != nil {
		t.Fatal(err)
	}
	out = f.mustCall(t, &f.acmeKey, 200, "POST", "/api/v1/licenses/token", `{"product":"alpha","user_id":"`+member+`"}`)
	fresh := out["token"].(string)
	set = f.servedJWKS(t)
	now = f.env.Clock.Now()
	for _, tok := range []string{token, fresh} {
		if _, _, err := verifyWithJose(t, set, tok, "alpha", now); err != nil {
			t.Fatalf("after rotation: %v", err)
		}
	}
	parsed, _ := jwt.ParseSigned(fresh, []jose.SignatureAlgorithm{jose.EdDSA})
	var newKid string
	for _, k := range rot.Activated {
		if k.Alg == "EdDSA" {
			newKid = k.ID
		}
	}
	if parsed.Headers[0].KeyID != newKid || newKid == "" {
		t.Fatalf("fresh token kid %s, want %s", parsed.Headers[0].KeyID, newKid)
	}
	// The retired licence key outlives every token it signed.
	f.env.Clock.Advance(app.RetiredKeyPublish)
	if err := f.svc.Sweep(f.ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := verifyWithJose(t, f.servedJWKS(t), token, "alpha", f.env.Clock.Now()); err != nil {
		t.Fatalf("old token after the access-token keys' retirement: %v", err)
	}
}

func TestLicenseTokenRefusedLikeTheCheck(t *testing.T) {
	f := newFixture(t)
	f.product(t, "alpha")
	sub := f.subscription(t, "alpha", 1, `,"auto_assign":false`)
	f.mustCall(t, &f.acmeKey, 201, "POST", "/v1/subscriptions/"+sub+"/seats", `{"user_id":"`+f.admin.User.ID+`"}`)
	out := f.mustCall(t, &f.acmeKey, 200, "POST", "/api/v1/licenses/token", `{"product":"alpha","user_id":"`+f.member.User.ID+`"}`)
	if out["valid"] != false || out["code"] != "NO_SEAT" || out["token"] != nil || len(out["features"].([]any)) != 0 {
		t.Fatalf("no seat: %v", out)
	}
	out = f.mustCall(t, &f.acmeKey, 200, "POST", "/api/v1/licenses/token", `{"product":"nope","user_id":"`+f.member.User.ID+`"}`)
	if out["code"] != "PRODUCT_NOT_FOUND" || out["token"] != nil {
		t.Fatalf("unknown product: %v", out)
	}
	rec, out := f.call(t, &f.acmeKey, "POST", "/api/v1/licenses/token", `{"product":"alpha","user_id":"`+f.member.User.ID+`","fingerprint":"x","extra":1}`)
	if rec.Code != 400 || fieldsOf(out)["extra"] == nil {
		t.Fatalf("unknown field: %d %v", rec.Code, out)
	}
	f.mustCall(t, &f.opKey, 422, "PATCH", "/v1/products/alpha", `{"license_check_in_seconds":60}`)
}

// TestLicenseTokenForTheUserItself: with a user's own credentials (the
// actor an access token gives), no user_id is needed and another user's
// is out of reach.
func TestLicenseTokenForTheUserItself(t *testing.T) {
	f := newFixture(t)
	f.product(t, "alpha")
	f.subscription(t, "alpha", 5, "")
	h := api.New(f.svc, slog.New(slog.NewTextHandler(io.Discard, nil))).ServeAs("POST /licenses/token", f.member.Actor("192.0.2.1"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/licenses/token", strings.NewReader(`{"product":"alpha"}`)))
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != 200 || out["token"] == nil || out["user_id"] != f.member.User.ID {
		t.Fatalf("own token: %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/licenses/token", strings.NewReader(`{"product":"alpha","user_id":"`+f.admin.User.ID+`"}`)))
	if rec.Code != 404 {
		t.Fatalf("another user's token: %d %s", rec.Code, rec.Body)
	}
}
