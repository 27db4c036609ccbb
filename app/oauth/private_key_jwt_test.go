package oauth_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"optare/app"
)

// clientKey is a client's own signing key, as a relying party holds it.
type clientKey struct {
	priv crypto.Signer
	alg  jose.SignatureAlgorithm
	kid  string
}

func newClientKey(t testing.TB, alg jose.SignatureAlgorithm) clientKey {
	t.Helper()
	var priv crypto.Signer
	var err error
	switch alg {
	case jose.ES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case jose.EdDSA:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	return clientKey{priv: priv, alg: alg, kid: "k-" + string(alg)}
}

func (k clientKey) jwks(t testing.TB) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: k.priv.Public(), KeyID: k.kid, Use: "sig", Algorithm: string(k.alg)}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// assertion signs a client assertion (RFC 7523) with claims over the
// defaults: iss and sub the client, aud the token endpoint, a fresh jti,
// exp two minutes after now.
func (k clientKey) assertion(t testing.TB, clientID, aud string, now time.Time, over map[string]any) string {
	t.Helper()
	claims := map[string]any{"iss": clientID, "sub": clientID, "aud": aud, "jti": rand.Text(),
		"iat": now.Unix(), "exp": now.Add(2 * time.Minute).Unix()}
	for k, v := range over {
		claims[k] = v
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: jose.JSONWebKey{Key: k.priv, KeyID: k.kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func assertionForm(assertion string, extra url.Values) url.Values {
	v := url.Values{"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion": {assertion}}
	for k, vs := range extra {
		v[k] = vs
	}
	return v
}

// TestPrivateKeyJWT: a client registered with a JWKS by value gets tokens
// with assertions made by go-jose; each refusal is invalid_client.
func TestPrivateKeyJWT(t *testing.T) {
	key := newClientKey(t, jose.ES256)
	f := newFixture(t, app.ClientInput{AuthMethod: "private_key_jwt", JWKS: key.jwks(t),
		GrantTypes: []string{"client_credentials", "authorization_code"}})
	if f.client.ClientSecret != "" {
		t.Fatal("a private_key_jwt client got a secret")
	}
	tokenURL := f.ts.URL + "/oauth/token"
	now := f.env.Clock.Now()
	cc := url.Values{"grant_type": {"client_credentials"}}
	good := key.assertion(t, f.client.ClientID, tokenURL, now, nil)
	res, body := f.post("/oauth/token", assertionForm(good, cc), nil)
	if res.StatusCode != 200 || body["access_token"] == nil {
		t.Fatalf("token with assertion: %d %v", res.StatusCode, body)
	}
	// The issuer as aud works too, at the introspection endpoint.
	res, intro := f.post("/oauth/introspect", assertionForm(key.assertion(t, f.client.ClientID, f.ts.URL, now, nil),
		url.Values{"token": {body["access_token"].(string)}, "client_id": {f.client.ClientID}}), nil)
	if res.StatusCode != 200 || intro["active"] != true {
		t.Fatalf("introspect with assertion: %d %v", res.StatusCode, intro)
	}
	other := newClientKey(t, jose.ES256)
	for name, form := range map[string]url.Values{
		"replayed jti":        assertionForm(good, cc),
		"wrong key":           assertionForm(other.assertion(t, f.client.ClientID, tokenURL, now, nil), cc),
		"exp too far ahead":   assertionForm(key.assertion(t, f.client.ClientID, tokenURL, now, map[string]any{"exp": now.Add(10 * time.Minute).Unix()}), cc),
		"expired":             assertionForm(key.assertion(t, f.client.ClientID, tokenURL, now, map[string]any{"exp": now.Add(-time.Minute).Unix()}), cc),
		"wrong aud":           assertionForm(key.assertion(t, f.client.ClientID, "https://other.example/token", now, nil), cc),
		"no jti":              assertionForm(key.assertion(t, f.client.ClientID, tokenURL, now, map[string]any{"jti": ""}), cc),
		"iss not the client":  assertionForm(key.assertion(t, f.client.ClientID, tokenURL, now, map[string]any{"iss": "someone"}), cc),
		"secret instead":      {"grant_type": {"client_credentials"}, "client_id": {f.client.ClientID}, "client_secret": {"cs_guess"}},
		"garbage assertion":   assertionForm("not.a.jwt", url.Values{"grant_type": {"client_credentials"}, "client_id": {f.client.ClientID}}),
		"unsigned (alg none)": assertionForm("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", url.Values{"grant_type": {"client_credentials"}, "client_id": {f.client.ClientID}}),
	} {
		res, body := f.post("/oauth/token", form, nil)
		if res.StatusCode != http.StatusUnauthorized || body["error"] != "invalid_client" {
			t.Errorf("%s: %d %v", name, res.StatusCode, body)
		}
	}
	// A client with a secret cannot switch to an assertion.
	g := newFixture(t, app.ClientInput{})
	res, body = g.post("/oauth/token", assertionForm(key.assertion(t, g.client.ClientID, g.ts.URL+"/oauth/token", now, nil), cc), nil)
	wantOAuthError(t, res, body, http.StatusUnauthorized, "invalid_client")
}

// TestPrivateKeyJWTWithJWKSURI: keys by reference, fetched from the
// client's server (loopback http here; https elsewhere), at the PAR
// endpoint.
func TestPrivateKeyJWTWithJWKSURI(t *testing.T) {
	key := newClientKey(t, jose.EdDSA)
	fetches := 0
	keys := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches++
		w.Header().Set("Content-Type", "application/json")
		w.Write(key.jwks(t))
	}))
	defer keys.Close()
	f := newFixture(t, app.ClientInput{AuthMethod: "private_key_jwt", JWKSURI: keys.URL + "/jwks.json"})
	now := f.env.Clock.Now()
	for range 2 {
		verifier := "v" + rand.Text() + rand.Text()
		res, body := f.post("/oauth/par", assertionForm(key.assertion(t, f.client.ClientID, f.ts.URL+"/oauth/par", now, nil),
			f.parParams(verifier)), nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("PAR with assertion: %d %v", res.StatusCode, body)
		}
	}
	if fetches != 1 {
		t.Errorf("jwks_uri fetched %d times, want 1 (cached)", fetches)
	}
	if _, err := f.env.Svc.CreateClient(f.ctx, app.CLI(), app.ClientInput{Name: "X", AuthMethod: "private_key_jwt",
		JWKSURI: "http://keys.example.com/jwks.json", RedirectURIs: []string{callback}}); app.ErrorKind(err) != app.KindInvalid {
		t.Errorf("http jwks_uri on a remote host: %v", err)
	}
}
