package app

import (
	"context"
	"net/url"

	"optare/store"
)

// ConnectableApp is an app of the operator a user can start from the
// client portal's Connect New App (OpenID Connect Core §4, third-party
// initiated login).
type ConnectableApp struct {
	ClientID    string `json:"client_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Permissions are the scopes the app may ask for, in words.
	Permissions []string `json:"permissions"`
	// StartURL is the app's initiate_login_uri with iss (this issuer),
	// login_hint (the user's email) and its target_link_uri if it has one: opening it makes the app send its own
	// authorization request, which ends on the consent screen.
	StartURL string `json:"start_url"`
}

// maxConnectableApps bounds the list; an operator has a handful of apps.
const maxConnectableApps = 200

// ConnectableApps lists the operator's enabled apps that registered an
// initiate_login_uri, for the acting user to connect. Users only.
func (s *Service) ConnectableApps(ctx context.Context, a Actor) ([]ConnectableApp, error) {
	if a.Kind != ActorUser {
		return nil, errForbidden("")
	}
	var out []ConnectableApp
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		op, err := tx.OperatorOrganization(ctx)
		if err != nil {
			return err
		}
		rows, err := tx.Clients(ctx, op.ID, "", maxConnectableApps)
		if err != nil {
			return err
		}
		var scopes []string
		for _, c := range rows {
			scopes = append(scopes, c.AllowedScopes...)
		}
		products, err := tx.ScopeProducts(ctx, scopes)
		if err != nil {
			return err
		}
		for _, c := range rows {
			if !c.Enabled || c.InitiateLoginURI == "" {
				continue
			}
			app := ConnectableApp{ClientID: c.ID, Name: c.Name, Description: c.Description,
				StartURL: initiateLoginURL(c.InitiateLoginURI, s.Issuer(), a.Label, c.TargetLinkURI)}
			for _, sc := range c.AllowedScopes {
				app.Permissions = append(app.Permissions, describeScope(sc, products))
			}
			out = append(out, app)
		}
		return nil
	})
	if err != nil {
		return nil, errInternal("list connectable apps: %w", err)
	}
	return out, nil
}

// initiateLoginURL adds iss, login_hint and, when the app registered one,
// target_link_uri to an initiate_login_uri, keeping any query it has.
func initiateLoginURL(raw, issuer, loginHint, target string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw // validated when registered
	}
	q := u.Query()
	q.Set("iss", issuer)
	if loginHint != "" {
		q.Set("login_hint", loginHint)
	}
	if target != "" {
		q.Set("target_link_uri", target)
	}
	u.RawQuery = q.Encode()
	return u.String()
}
