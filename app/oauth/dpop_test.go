package oauth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"optare/app"
	"optare/app/apptest"
)

// tokenRequest posts a token request with a DPoP proof (none when empty),
// authenticating a confidential client with its secret (HTTP Basic) and a
// public one by client_id.
func (f *fixture) tokenRequest(form url.Values, proofs ...string) (*http.Response, map[string]any) {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.ts.URL+"/oauth/token", strings.NewReader(withClient(f, form).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if f.client.ClientSecret != "" {
		req.SetBasicAuth(f.client.ClientID, f.client.ClientSecret)
	}
	for _, p := range proofs {
		req.Header.Add("DPoP", p)
	}
	return f.do(req)
}

func withClient(f *fixture, form url.Values) url.Values {
	if f.client.ClientSecret == "" {
		form.Set("client_id", f.client.ClientID)
	}
	return form
}

// resource calls a protected resource with an access token under scheme
// (DPoP or Bearer) and a proof (none when empty).
func (f *fixture) resource(method, path, body, scheme, token, proof string) (*http.Response, map[string]any) {
	f.t.Helper()
	var rd *strings.Reader
	if body == "" {
		rd = strings.NewReader("")
	} else {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, f.ts.URL+path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", scheme+" "+token)
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	return f.do(req)
}

// dpopTokens runs the code flow and redeems the code with a proof by key.
func (f *fixture) dpopTokens(key apptest.DPoPKey) map[string]any {
	f.t.Helper()
	code, verifier := f.code(apptest.NewBrowser(f.t, f.ts))
	res, tok := f.tokenRequest(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback},
		"code_verifier": {verifier}}, key.Proof(f.t, "POST", f.ts.URL+"/oauth/token", "", f.env.Clock.Now()))
	if res.StatusCode != http.StatusOK || tok["token_type"] != "DPoP" {
		f.t.Fatalf("code with a DPoP proof: %d %v", res.StatusCode, tok)
	}
	return tok
}

// withProduct gives the fixture's organization a live subscription to
// product alpha, so the licence routes answer for the user.
func (f *fixture) withProduct() {
	f.t.Helper()
	svc, cli := f.env.Svc, app.CLI()
	if _, err := svc.CreateProduct(f.ctx, cli, app.ProductInput{Name: "Alpha", Slug: "alpha"}); err != nil {
		f.t.Fatal(err)
	}
	if _, err := svc.CreateSubscription(f.ctx, cli, app.SubscriptionInput{OrganizationID: "acme", ProductID: "alpha",
		TotalSeats: 5, PricePerSeat: "10.00", BillingCycle: "monthly", Status: "active"}); err != nil {
		f.t.Fatal(err)
	}
}

func wantDPoPRefusal(t *testing.T, name string, res *http.Response, body map[string]any, code string) {
	t.Helper()
	if res.StatusCode != http.StatusUnauthorized || body["error"] != code || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "DPoP ") {
		t.Errorf("%s: %d %v, WWW-Authenticate %q; want 401 %s with a DPoP challenge", name, res.StatusCode, body, res.Header.Get("WWW-Authenticate"), code)
	}
}

// TestDPoPAtEveryDoor: a code redeemed with a proof gives a DPoP token
// carrying cnf.jkt of the client's key; userinfo, the REST API and both
// licence routes accept it only as Authorization: DPoP with a fresh proof
// of that key for that method and URL, and refuse a replayed proof, a
// wrong htu or htm, a stale iat, another key, no proof, and the token
// sent as Bearer. Introspection reports the binding.
func TestDPoPAtEveryDoor(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	f.withProduct()
	key, other := apptest.NewDPoPKey(t, jose.ES256), apptest.NewDPoPKey(t, jose.EdDSA)
	tok := f.dpopTokens(key)
	at := tok["access_token"].(string)
	if cnf, _ := accessClaims(t, at)["cnf"].(map[string]any); cnf["jkt"] != key.JKT(t) {
		t.Fatalf("access token cnf %v, want jkt %s", accessClaims(t, at)["cnf"], key.JKT(t))
	}
	now := f.env.Clock.Now
	for _, door := range []struct{ name, method, path, body string }{
		{"userinfo", "GET", "/oauth/userinfo", ""},
		{"userinfo by POST", "POST", "/oauth/userinfo", ""},
		{"REST /users/me", "GET", "/api/v1/users/me", ""},
		{"licence check", "GET", "/api/v1/licenses/check?product=alpha", ""},
		{"licence token", "POST", "/api/v1/licenses/token", `{"product":"alpha"}`},
	} {
		htu := f.ts.URL + strings.Split(door.path, "?")[0]
		good := key.Proof(t, door.method, htu, at, now())
		res, body := f.resource(door.method, door.path, door.body, "DPoP", at, good)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s with a good proof: %d %v", door.name, res.StatusCode, body)
		}
		if door.name == "licence check" && (body["valid"] != true || body["code"] != "VALID") {
			t.Errorf("licence check: %v", body)
		}
		otherMethod := "POST"
		if door.method == "POST" {
			otherMethod = "GET"
		}
		for name, proof := range map[string]string{
			"replayed proof": good,
			"wrong htu":      key.Proof(t, door.method, f.ts.URL+"/oauth/introspect", at, now()),
			"wrong htm":      key.Proof(t, otherMethod, htu, at, now()),
			"stale iat":      key.Proof(t, door.method, htu, at, now().Add(-2*time.Minute)),
			"wrong key":      other.Proof(t, door.method, htu, at, now()),
			"ath of another": key.Proof(t, door.method, htu, at+"x", now()),
			"no proof":       "",
		} {
			res, body := f.resource(door.method, door.path, door.body, "DPoP", at, proof)
			wantDPoPRefusal(t, door.name+": "+name, res, body, "invalid_dpop_proof")
		}
		res, body = f.resource(door.method, door.path, door.body, "Bearer", at, "")
		wantDPoPRefusal(t, door.name+": bound token as Bearer", res, body, "invalid_token")
		res, body = f.resource(door.method, door.path, door.body, "Bearer", at, key.Proof(t, door.method, htu, at, now()))
		wantDPoPRefusal(t, door.name+": bound token as Bearer with a proof", res, body, "invalid_token")
	}

	// Introspection tells a resource server the binding.
	req, _ := http.NewRequest(http.MethodPost, f.ts.URL+"/oauth/introspect", strings.NewReader(url.Values{"token": {at}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(f.client.ClientID, f.client.ClientSecret)
	res, intro := f.do(req)
	if cnf, _ := intro["cnf"].(map[string]any); res.StatusCode != 200 || intro["active"] != true || intro["token_type"] != "DPoP" || cnf["jkt"] != key.JKT(t) {
		t.Errorf("introspection of a DPoP token: %d %v", res.StatusCode, intro)
	}

	// A bearer token stays a bearer token: DPoP scheme refused, no cnf.
	plain := f.tokens()
	if _, ok := accessClaims(t, plain.AccessToken)["cnf"]; ok || plain.TokenType != "Bearer" {
		t.Errorf("plain token: type %s, claims %v", plain.TokenType, accessClaims(t, plain.AccessToken))
	}
	res, body := f.resource("GET", "/oauth/userinfo", "", "DPoP", plain.AccessToken, key.Proof(t, "GET", f.ts.URL+"/oauth/userinfo", plain.AccessToken, now()))
	wantDPoPRefusal(t, "bearer token as DPoP", res, body, "invalid_token")
	if res, body := f.resource("GET", "/api/v1/users/me", "", "Bearer", plain.AccessToken, ""); res.StatusCode != 200 {
		t.Errorf("bearer token at the API: %d %v", res.StatusCode, body)
	}
}

// TestDPoPTokenEndpoint: the token endpoint refuses bad proofs with 400
// invalid_dpop_proof; a confidential client's refresh tokens are not
// bound (its secret protects them), so it may refresh with a new key.
func TestDPoPTokenEndpoint(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	key := apptest.NewDPoPKey(t, jose.RS256)
	tokenURL, now := f.ts.URL+"/oauth/token", f.env.Clock.Now
	cc := func() url.Values { return url.Values{"grant_type": {"client_credentials"}} }
	good := key.Proof(t, "POST", tokenURL, "", now())
	res, tok := f.tokenRequest(cc(), good)
	if res.StatusCode != 200 || tok["token_type"] != "DPoP" {
		t.Fatalf("client credentials with a proof: %d %v", res.StatusCode, tok)
	}
	for name, proofs := range map[string][]string{
		"replayed proof": {good},
		"wrong htu":      {key.Proof(t, "POST", f.ts.URL+"/oauth/userinfo", "", now())},
		"wrong htm":      {key.Proof(t, "GET", tokenURL, "", now())},
		"stale iat":      {key.Proof(t, "POST", tokenURL, "", now().Add(-90*time.Second))},
		"two proofs":     {key.Proof(t, "POST", tokenURL, "", now()), key.Proof(t, "POST", tokenURL, "", now())},
		"wrong typ":      {key.Sign(t, "JWT", map[string]any{"jti": "j1", "htm": "POST", "htu": tokenURL, "iat": now().Unix()})},
		"garbage":        {"not-a-proof"},
	} {
		if res, body := f.tokenRequest(cc(), proofs...); res.StatusCode != http.StatusBadRequest || body["error"] != "invalid_dpop_proof" {
			t.Errorf("%s: %d %v, want 400 invalid_dpop_proof", name, res.StatusCode, body)
		}
	}

	tok = f.dpopTokens(key)
	rt := tok["refresh_token"].(string)
	next := apptest.NewDPoPKey(t, jose.ES256)
	res, tok = f.tokenRequest(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, next.Proof(t, "POST", tokenURL, "", now()))
	if cnf, _ := accessClaims(t, tok["access_token"].(string))["cnf"].(map[string]any); res.StatusCode != 200 || cnf["jkt"] != next.JKT(t) {
		t.Fatalf("confidential refresh with a new key: %d %v", res.StatusCode, tok)
	}
}

// TestDPoPPublicClientRefreshBound: a public client's refresh tokens are
// bound to the key of the request that started the family: refreshing
// without a proof or with another key is refused (and spends nothing),
// with the key it works and stays bound.
func TestDPoPPublicClientRefreshBound(t *testing.T) {
	f := newFixture(t, app.ClientInput{Public: true})
	key, other := apptest.NewDPoPKey(t, jose.EdDSA), apptest.NewDPoPKey(t, jose.EdDSA)
	tokenURL, now := f.ts.URL+"/oauth/token", f.env.Clock.Now
	rt := f.dpopTokens(key)["refresh_token"].(string)
	refresh := func(proof ...string) (*http.Response, map[string]any) {
		return f.tokenRequest(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, proof...)
	}
	res, body := refresh()
	wantOAuthError(t, res, body, http.StatusBadRequest, "invalid_dpop_proof")
	res, body = refresh(other.Proof(t, "POST", tokenURL, "", now()))
	wantOAuthError(t, res, body, http.StatusBadRequest, "invalid_dpop_proof")
	for range 2 {
		res, body = refresh(key.Proof(t, "POST", tokenURL, "", now()))
		if cnf, _ := accessClaims(t, body["access_token"].(string))["cnf"].(map[string]any); res.StatusCode != 200 || body["token_type"] != "DPoP" || cnf["jkt"] != key.JKT(t) {
			t.Fatalf("refresh with the bound key: %d %v", res.StatusCode, body)
		}
		rt = body["refresh_token"].(string)
		res, body = refresh(other.Proof(t, "POST", tokenURL, "", now()))
		wantOAuthError(t, res, body, http.StatusBadRequest, "invalid_dpop_proof")
	}
}

// TestRequireDPoP: a client marked "require DPoP" gets nothing without a
// proof, at any grant; switched off, plain requests work again.
func TestRequireDPoP(t *testing.T) {
	f := newFixture(t, app.ClientInput{RequireDPoP: true})
	if !f.client.RequireDPoP {
		t.Fatal("client not marked")
	}
	code, verifier := f.code(apptest.NewBrowser(t, f.ts))
	res, body := f.tokenRequest(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback}, "code_verifier": {verifier}})
	wantOAuthError(t, res, body, http.StatusBadRequest, "invalid_dpop_proof")
	res, body = f.tokenRequest(url.Values{"grant_type": {"client_credentials"}})
	wantOAuthError(t, res, body, http.StatusBadRequest, "invalid_dpop_proof")
	key := apptest.NewDPoPKey(t, jose.ES256)
	res, body = f.tokenRequest(url.Values{"grant_type": {"client_credentials"}}, key.Proof(t, "POST", f.ts.URL+"/oauth/token", "", f.env.Clock.Now()))
	if res.StatusCode != 200 || body["token_type"] != "DPoP" {
		t.Fatalf("with a proof: %d %v", res.StatusCode, body)
	}
	off := false
	if _, err := f.env.Svc.UpdateClient(f.ctx, app.CLI(), f.client.ClientID, app.ClientPatch{RequireDPoP: &off}); err != nil {
		t.Fatal(err)
	}
	res, body = f.tokenRequest(url.Values{"grant_type": {"client_credentials"}})
	if res.StatusCode != 200 || body["token_type"] != "Bearer" {
		t.Fatalf("after require DPoP was switched off: %d %v", res.StatusCode, body)
	}
}

// TestDPoPDeviceFlow is the CLI case: a public device-flow client polls
// with a proof, gets a DPoP token with the user's products, uses it at
// userinfo and the licence check with proofs, and its refresh tokens are
// bound to the same key.
func TestDPoPDeviceFlow(t *testing.T) {
	f := newDeviceFixture(t)
	da, err := f.conf.DeviceAuth(f.ctx)
	if err != nil {
		t.Fatalf("DeviceAuth: %v", err)
	}
	b := apptest.NewBrowser(t, f.ts)
	b.Login(f.user.User.Email)
	f.approveDevice(b, da, "approve")
	key := apptest.NewDPoPKey(t, jose.ES256)
	tokenURL, now := f.ts.URL+"/oauth/token", f.env.Clock.Now
	res, tok := f.tokenRequest(url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "device_code": {da.DeviceCode}},
		key.Proof(t, "POST", tokenURL, "", now()))
	if res.StatusCode != http.StatusOK || tok["token_type"] != "DPoP" {
		t.Fatalf("device poll with a proof: %d %v", res.StatusCode, tok)
	}
	at := tok["access_token"].(string)
	res, ui := f.resource("GET", "/oauth/userinfo", "", "DPoP", at, key.Proof(t, "GET", f.ts.URL+"/oauth/userinfo", at, now()))
	if got := productSlugs(ui["products"]); res.StatusCode != 200 || len(got) != 1 || got[0] != "otomate-social-pro" {
		t.Fatalf("userinfo: %d %v", res.StatusCode, ui)
	}
	res, lic := f.resource("GET", "/api/v1/licenses/check?product=otomate-social-pro", "", "DPoP", at,
		key.Proof(t, "GET", f.ts.URL+"/api/v1/licenses/check", at, now()))
	if res.StatusCode != 200 || lic["valid"] != true {
		t.Fatalf("licence check: %d %v", res.StatusCode, lic)
	}
	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}}
	res, body := f.tokenRequest(refresh)
	wantOAuthError(t, res, body, http.StatusBadRequest, "invalid_dpop_proof")
	if res, body = f.tokenRequest(refresh, key.Proof(t, "POST", tokenURL, "", now())); res.StatusCode != 200 || body["token_type"] != "DPoP" {
		t.Fatalf("refresh with the key: %d %v", res.StatusCode, body)
	}
}
