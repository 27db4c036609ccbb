package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"optare/app"
	"optare/app/oidc"
)

// fixture is what the scenarios need: a client, and per worker a refresh
// token chain and an access token.
type fixture struct {
	base         string
	clientID     string
	clientSecret string
	refresh      []string
	access       []string
	key          app.NewAPIKey
	userID       string
}

const callback = "http://127.0.0.1:1/callback"

// prepare creates the accounts, a product with a subscription and a seat for
// the user, an API key of the user's organization, and one grant per worker through the app's
// own methods: Authorize with a signed-in session, then the code exchange.
func prepare(ctx context.Context, svc *app.Service, workers int) (*fixture, error) {
	password := "load-test-password-1"
	if _, err := svc.Setup(ctx, app.CLI(), app.SetupInput{OrgName: "Load Ops", Name: "Op", Email: "op@example.com",
		Password: password, PasswordConfirm: password}); err != nil {
		return nil, err
	}
	org, err := svc.CreateOrganization(ctx, app.CLI(), app.OrganizationInput{Name: "Acme", Slug: "acme"})
	if err != nil {
		return nil, err
	}
	u, err := svc.CreateUser(ctx, app.CLI(), app.UserInput{Email: "ada@example.com", Name: "Ada", OrgRef: org.ID,
		Role: app.RoleMember, Password: password})
	if err != nil {
		return nil, err
	}
	if _, err := svc.CreateProduct(ctx, app.CLI(), app.ProductInput{Name: "Bench", Slug: "bench", Features: []string{"A", "B"}}); err != nil {
		return nil, err
	}
	sub, err := svc.CreateSubscription(ctx, app.CLI(), app.SubscriptionInput{OrganizationID: "acme", ProductID: "bench",
		TotalSeats: 100, PricePerSeat: "29.99", BillingCycle: app.CycleMonthly})
	if err != nil {
		return nil, err
	}
	if _, err := svc.AssignSeat(ctx, app.CLI(), sub.ID, u.ID); err != nil {
		return nil, err
	}
	key, err := svc.CreateAPIKey(ctx, app.CLI(), app.APIKeyInput{OrganizationID: "acme", Name: "loadgen"})
	if err != nil {
		return nil, err
	}
	c, err := svc.CreateClient(ctx, app.CLI(), app.ClientInput{Name: "Load", RedirectURIs: []string{callback}, FirstParty: true})
	if err != nil {
		return nil, err
	}
	f := &fixture{clientID: c.ClientID, clientSecret: c.ClientSecret, key: key, userID: u.ID}
	sess := &app.AuthSession{UserID: u.ID, SessionVersion: u.SessionVersion, AuthTime: svc.Now(), ID: "load"}
	for range workers {
		req := oidc.AuthorizeRequest{ClientID: c.ClientID, RedirectURI: callback, ResponseType: "code",
			Scopes: []string{"openid", "email", "profile"}, State: "s"}
		res, err := svc.Authorize(ctx, app.AuthorizeInput{Request: req, Session: sess})
		if err != nil {
			return nil, err
		}
		loc, err := url.Parse(res.RedirectURL)
		if err != nil || loc.Query().Get("code") == "" {
			return nil, fmt.Errorf("authorize: %q", res.RedirectURL)
		}
		tok, err := svc.Token(ctx, oidc.TokenRequest{GrantType: oidc.GrantAuthorizationCode, Code: loc.Query().Get("code"),
			RedirectURI: callback, ClientAuth: oidc.ClientAuth{ClientID: c.ClientID, ClientSecret: c.ClientSecret,
				AuthMethod: oidc.AuthMethodSecretPost}}, "127.0.0.1")
		if err != nil {
			return nil, err
		}
		f.refresh = append(f.refresh, tok.RefreshToken)
		f.access = append(f.access, tok.AccessToken)
	}
	return f, nil
}

func (f *fixture) form(kv ...string) string {
	v := url.Values{"client_id": {f.clientID}, "client_secret": {f.clientSecret}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

func body(s string) *strings.Reader { return strings.NewReader(s) }
