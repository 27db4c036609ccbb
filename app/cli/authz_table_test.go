package cli_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
	"optare/app/cli"
)

// authzWorld is one fresh instance for one row of the authorization table:
// an operator organization (owner, second owner, admin, API key) and a
// customer "acme" (owner, admin, member, API key), served over HTTP.
type authzWorld struct {
	env   *apptest.Env
	ts    *httptest.Server
	users map[string]app.Account
	keys  map[string]app.NewAPIKey
	conf  *oauth2.Config
}

func newAuthzWorld(t *testing.T) *authzWorld {
	t.Helper()
	ctx := context.Background()
	env := apptest.New(t)
	w := &authzWorld{env: env, users: map[string]app.Account{}, keys: map[string]app.NewAPIKey{}}
	op := env.Operator(t)
	w.users["operator owner"] = op
	for _, u := range []struct{ name, email, role string }{
		{"operator owner 2", "owner2@example.com", app.RoleOwner},
		{"operator admin", "opadmin@example.com", app.RoleAdmin},
	} {
		created, err := env.Svc.CreateUser(ctx, app.CLI(), app.UserInput{Email: u.email, Name: u.name, OrgRef: op.Org.ID, Role: u.role, Password: apptest.Password})
		if err != nil {
			t.Fatal(err)
		}
		if w.users[u.name], err = env.Svc.AccountByID(ctx, created.ID); err != nil {
			t.Fatal(err)
		}
	}
	w.users["acme owner"] = env.Customer(t, "acme", "owner@acme.test", app.RoleOwner)
	// A second owner on each side, so changing an owner never meets the
	// last-owner rule.
	w.users["acme owner 2"] = env.Customer(t, "acme", "owner2@acme.test", app.RoleOwner)
	w.users["acme admin"] = env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)
	w.users["acme member"] = env.Customer(t, "acme", "member@acme.test", app.RoleMember)
	for name, org := range map[string]string{"operator key": op.Org.ID, "acme key": "acme"} {
		k, err := env.Svc.CreateAPIKey(ctx, app.CLI(), app.APIKeyInput{OrganizationID: org, Name: name})
		if err != nil {
			t.Fatal(err)
		}
		w.keys[name] = k
	}
	w.ts = env.Server(t)
	c, err := env.Svc.CreateClient(ctx, app.CLI(), app.ClientInput{Name: "Console", RedirectURIs: []string{"https://console.example.com/cb"}, FirstParty: true})
	if err != nil {
		t.Fatal(err)
	}
	w.conf = &oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: "https://console.example.com/cb",
		Endpoint: oauth2.Endpoint{AuthURL: w.ts.URL + "/oauth/authorize", TokenURL: w.ts.URL + "/oauth/token"},
		Scopes:   []string{"openid"}}
	return w
}

// accessToken runs the code flow as the user (a first-party client: no
// consent screen) and returns their access token.
func (w *authzWorld) accessToken(t *testing.T, actor string) string {
	t.Helper()
	b := apptest.NewBrowser(t, w.ts)
	b.Login(w.users[actor].User.Email)
	verifier := oauth2.GenerateVerifier()
	res, body := b.Get(strings.TrimPrefix(w.conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), w.ts.URL))
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("authorize as %s: %d %s\n%s", actor, res.StatusCode, res.Header.Get("Location"), body)
	}
	tok, err := w.conf.Exchange(context.WithValue(context.Background(), oauth2.HTTPClient, w.ts.Client()), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return tok.AccessToken
}

// api sends PATCH /v1/users/{id} with the given credentials.
func (w *authzWorld) api(t *testing.T, bearer, secret, id, body string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPatch, w.ts.URL+"/v1/users/"+id, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+bearer)
	if secret != "" {
		req.Header.Set("X-API-Secret", secret)
	}
	res, err := w.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// state is what the table's changes can alter about the target.
type targetState struct {
	disabled bool
	role     string // in the target's organization; "" once removed
	pwChange int    // password changes and reset links issued
}

func (w *authzWorld) state(t *testing.T, target string) targetState {
	t.Helper()
	ctx := context.Background()
	u := w.users[target]
	user, err := w.env.Svc.UserByID(ctx, app.CLI(), u.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	st := targetState{disabled: user.Disabled}
	_, members, err := w.env.Svc.ListMembers(ctx, app.CLI(), u.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if m.User.ID == u.User.ID {
			st.role = m.Role
		}
	}
	for _, action := range []string{"user.password_changed", "user.password_link_created"} {
		p, err := w.env.Svc.ListAudit(ctx, app.CLI(), app.AuditQuery{Action: action, Limit: app.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Entries {
			if e.TargetID == u.User.ID && e.Outcome == "success" {
				st.pwChange++
			}
		}
	}
	return st
}

// allowedChange is the rule of who may change whom, written out independently of the
// domain: reach (operator-wide actors reach every organization, others
// only their own, as admins or owners), owner targets need an owner, and
// only an operator owner sets another user's password.
func allowedChange(actor, target, change string) bool {
	operator := strings.HasPrefix(actor, "operator")
	sameOrg := strings.HasPrefix(actor, "operator") == strings.HasPrefix(target, "operator")
	if actor == "acme member" || (!operator && !sameOrg) {
		return false
	}
	actorOwner := actor == "operator owner" || actor == "acme owner"
	if strings.Contains(target, "owner") && !actorOwner {
		return false
	}
	if change == "password" && actor != "operator owner" {
		return false
	}
	return true
}

// TestOwnerTakeoverTable is the who-may-change-whom authorization table over every
// door: the API with an API key, the API with a user's access token, the
// portals, and the CLI against a server. Each row runs on a fresh instance
// and checks both the answer and the target's state afterwards.
func TestOwnerTakeoverTable(t *testing.T) {
	targets := []string{"operator owner 2", "acme owner 2", "acme admin", "acme member"}
	type row struct{ door, actor, change string }
	var rows []row
	for _, actor := range []string{"operator key", "acme key"} {
		for _, ch := range []string{"password", "disable"} {
			rows = append(rows, row{"api key", actor, ch}, row{"cli server", actor, ch})
		}
	}
	for _, actor := range []string{"operator owner", "operator admin", "acme owner", "acme admin", "acme member"} {
		for _, ch := range []string{"password", "disable"} {
			rows = append(rows, row{"api token", actor, ch})
		}
	}
	for _, actor := range []string{"operator owner", "operator admin"} {
		for _, ch := range []string{"disable", "role", "reset-link"} {
			rows = append(rows, row{"admin portal", actor, ch})
		}
	}
	for _, actor := range []string{"acme owner", "acme admin"} {
		for _, ch := range []string{"role", "remove"} {
			rows = append(rows, row{"client portal", actor, ch})
		}
	}
	for _, r := range rows {
		for _, target := range targets {
			if r.door == "client portal" && strings.HasPrefix(target, "operator") {
				continue // the client portal names members of one's own organization only
			}
			if r.actor == target {
				continue // changing oneself is another rule
			}
			name := fmt.Sprintf("%s/%s/%s/%s", r.door, r.actor, r.change, target)
			t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
				w := newAuthzWorld(t)
				before := w.state(t, target)
				ok := w.try(t, r.door, r.actor, r.change, target)
				after := w.state(t, target)
				want := allowedChange(r.actor, target, r.change)
				if ok != want {
					t.Fatalf("answer: allowed=%v, want %v", ok, want)
				}
				if changed := before != after; changed != want {
					t.Fatalf("target changed=%v (%+v -> %+v), want %v", changed, before, after, want)
				}
			})
		}
	}
}

// try makes the change through the door and reports whether the door
// answered success; a refusal must be 403 (or 404 for a user outside the
// actor's reach, which it must not learn exists).
func (w *authzWorld) try(t *testing.T, door, actor, change, target string) bool {
	t.Helper()
	id := w.users[target].User.ID
	body := map[string]string{"password": `{"password":"a-brand-new-password"}`, "disable": `{"disabled":true}`}[change]
	refused := func(code int) bool {
		if code != http.StatusForbidden && code != http.StatusNotFound {
			t.Fatalf("%s %s: status %d, want 200, 403 or 404", door, change, code)
		}
		return false
	}
	switch door {
	case "api key":
		k := w.keys[actor]
		if code := w.api(t, k.Key, k.Secret, id, body); code != http.StatusOK {
			return refused(code)
		}
		return true
	case "api token":
		if code := w.api(t, w.accessToken(t, actor), "", id, body); code != http.StatusOK {
			return refused(code)
		}
		return true
	case "cli server":
		k := w.keys[actor]
		t.Setenv("OPTARE_API_KEY", k.Key)
		t.Setenv("OPTARE_API_SECRET", k.Secret)
		args := []string{"--server", w.ts.URL, "user", "disable", id}
		if change == "password" {
			args = []string{"--server", w.ts.URL, "user", "set-password", id, "--password-stdin"}
		}
		code, _, errOut := run(t, "a-brand-new-password\n", args...)
		if code == cli.ExitOK {
			return true
		}
		if code != cli.ExitFailure || errOut == "" {
			t.Fatalf("cli: exit %d %q", code, errOut)
		}
		return false
	}
	b := apptest.NewBrowser(t, w.ts)
	b.Login(w.users[actor].User.Email)
	var path string
	form := url.Values{}
	// The role change moves the target off their current role.
	role := app.RoleAdmin
	if w.users[target].Role == app.RoleAdmin {
		role = app.RoleMember
	}
	switch door + "/" + change {
	case "admin portal/disable":
		path = "/admin/users/" + id + "/disable"
	case "admin portal/role":
		path, form = "/admin/users/"+id+"/role", url.Values{"role": {role}}
	case "admin portal/reset-link":
		path = "/admin/users/" + id + "/reset-link"
	case "client portal/role":
		path, form = "/portal/members/"+id+"/role", url.Values{"role": {role}}
	case "client portal/remove":
		path = "/portal/members/" + id + "/remove"
	}
	res, _ := b.PostForm(path, form)
	if res.StatusCode < 400 {
		return true
	}
	return refused(res.StatusCode)
}
