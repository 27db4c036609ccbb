package app

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"optare/app/oidc"
	"optare/store"
)

// prefixClientSecret starts every client secret, so a leaked one is
// recognisable in logs and secret scanners.
const prefixClientSecret = "cs_"

// Client is an OAuth client as the CLI and the REST API show it. The secret
// is never part of it; only CreateClient and RotateClientSecret return it,
// once.
type Client struct {
	ID                     string   `json:"id"`
	ClientID               string   `json:"client_id"`
	Name                   string   `json:"name"`
	Description            string   `json:"description"`
	RedirectURIs           []string `json:"redirect_uris"`
	PostLogoutRedirectURIs []string `json:"post_logout_redirect_uris"`
	AllowedOrigins         []string `json:"allowed_origins"`
	AllowedScopes          []string `json:"allowed_scopes"`
	GrantTypes             []string `json:"grant_types"`
	Public                 bool     `json:"public"`
	RequirePKCE            bool     `json:"require_pkce"`
	FirstParty             bool     `json:"first_party"`
	// AuthMethod is how the client authenticates at the token, revocation
	// and introspection endpoints (RFC 7591): client_secret_basic,
	// client_secret_post or none (public clients).
	AuthMethod string `json:"token_endpoint_auth_method"`
	// InitiateLoginURI is where the client portal's Connect New App sends a
	// user to start signing in to the client (OpenID Connect Core §4).
	InitiateLoginURI string `json:"initiate_login_uri"`
	// TargetLinkURI is sent with it as target_link_uri: where the app
	// should take the user once signed in.
	TargetLinkURI string `json:"target_link_uri"`
	// RequirePAR refuses authorization requests that were not pushed
	// first (RFC 9126 require_pushed_authorization_requests).
	RequirePAR bool `json:"require_pushed_authorization_requests"`
	// RequireDPoP refuses token requests without a DPoP proof, so every
	// access token is bound to a key (RFC 9449 dpop_bound_access_tokens).
	RequireDPoP bool `json:"dpop_bound_access_tokens"`
	// JWKS or JWKSURI holds a private_key_jwt client's public keys.
	JWKS      json.RawMessage `json:"jwks"`
	JWKSURI   string          `json:"jwks_uri"`
	Enabled   bool            `json:"enabled"`
	OrgID     string          `json:"organization_id"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// ClientWithSecret is a client with its new secret, shown once.
type ClientWithSecret struct {
	Client
	// ClientSecret is empty for public clients.
	ClientSecret string `json:"client_secret,omitempty"`
}

// PKCERequired reports whether the client must send a PKCE challenge:
// public clients always, others when set to.
func (c Client) PKCERequired() bool { return c.Public || c.RequirePKCE }

func clientFromRow(r store.Client) Client {
	var jwks json.RawMessage
	if r.JWKS != "" {
		jwks = json.RawMessage(r.JWKS)
	}
	return Client{JWKS: jwks, ID: r.ID, ClientID: r.ID, Name: r.Name, Description: r.Description, RedirectURIs: r.RedirectURIs,
		PostLogoutRedirectURIs: r.PostLogoutRedirectURIs, AllowedOrigins: r.AllowedOrigins,
		AllowedScopes: r.AllowedScopes, GrantTypes: r.GrantTypes, Public: r.Public, RequirePKCE: r.RequirePKCE,
		FirstParty: r.FirstParty, AuthMethod: r.AuthMethod, InitiateLoginURI: r.InitiateLoginURI, TargetLinkURI: r.TargetLinkURI, RequirePAR: r.RequirePAR, RequireDPoP: r.RequireDPoP, JWKSURI: r.JWKSURI, Enabled: r.Enabled, OrgID: r.OrgID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// CreateClient registers an OAuth client and returns it with its secret,
// which is stored only as a SHA-256 hash and cannot be shown again. Public
// clients get no secret. Without an organization the client belongs to the
// operator organization. Operator admins only.
func (s *Service) CreateClient(ctx context.Context, a Actor, in ClientInput) (ClientWithSecret, error) {
	if !a.IsOperatorAdmin() {
		return ClientWithSecret{}, errForbidden("")
	}
	row, err := in.validate(nil)
	if err != nil {
		return ClientWithSecret{}, err
	}
	var out ClientWithSecret
	if !row.Public && row.AuthMethod != oidc.AuthMethodPrivateKeyJWT {
		out.ClientSecret = newSecret(prefixClientSecret)
		row.SecretHash = oidc.HashSecret(out.ClientSecret)
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if row.OrgID, err = s.clientOrg(ctx, tx, in.OrgRef); err != nil {
			return err
		}
		row.ID, row.Enabled, row.ConsentVersion = newID(prefixClient), true, 1
		row.CreatedAt, row.UpdatedAt = tx.Now, tx.Now
		if err := tx.InsertClient(ctx, row); err != nil {
			return errInternal("insert client: %w", err)
		}
		out.Client = clientFromRow(row)
		return s.audit(ctx, tx, a, AuditRecord{Action: "client.created", TargetType: "client", TargetID: row.ID,
			OrgID: row.OrgID, Details: clientDetails(out.Client)})
	})
	if err != nil {
		return ClientWithSecret{}, err
	}
	return out, nil
}

// clientOrg resolves an organization id or slug, or the operator
// organization when ref is empty.
func (s *Service) clientOrg(ctx context.Context, tx *store.Tx, ref string) (string, error) {
	var o store.Organization
	var err error
	if ref == "" {
		o, err = tx.OperatorOrganization(ctx)
	} else {
		o, err = tx.Organization(ctx, ref)
	}
	if errors.Is(err, store.ErrNotFound) {
		if ref == "" {
			return "", &Error{Kind: KindConflict, Code: "setup_needed", Message: "Set Optare up first: there is no operator organization yet."}
		}
		return "", &Error{Kind: KindInvalid, Message: "Organization not found.", Fields: map[string]string{"organization_id": "No such organization."}}
	}
	if err != nil {
		return "", errInternal("read organization: %w", err)
	}
	return o.ID, nil
}

func clientDetails(c Client) map[string]any {
	return map[string]any{"name": c.Name, "redirect_uris": c.RedirectURIs, "allowed_origins": c.AllowedOrigins,
		"allowed_scopes": c.AllowedScopes, "grant_types": c.GrantTypes, "public": c.Public,
		"require_pkce": c.RequirePKCE, "first_party": c.FirstParty, "enabled": c.Enabled,
		"token_endpoint_auth_method": c.AuthMethod, "initiate_login_uri": c.InitiateLoginURI, "target_link_uri": c.TargetLinkURI,
		"require_pushed_authorization_requests": c.RequirePAR, "dpop_bound_access_tokens": c.RequireDPoP, "jwks_uri": c.JWKSURI, "has_jwks": len(c.JWKS) > 0,
		"post_logout_redirect_uris": c.PostLogoutRedirectURIs}
}

// ClientByID returns a client. Operator admins only.
func (s *Service) ClientByID(ctx context.Context, a Actor, id string) (Client, error) {
	if !a.IsOperatorAdmin() {
		return Client{}, errForbidden("")
	}
	var c Client
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		row, err := tx.Client(ctx, id)
		c = clientFromRow(row)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Client{}, errNotFound("Client")
	}
	if err != nil {
		return Client{}, errInternal("read client: %w", err)
	}
	return c, nil
}

// ClientPage is one page of clients.
type ClientPage struct {
	Clients    []Client `json:"clients"`
	NextCursor Cursor   `json:"next_cursor"`
}

// ListClients lists clients by id, optionally of one organization (id or
// slug). Operator admins only.
func (s *Service) ListClients(ctx context.Context, a Actor, orgRef, cursor string, limit int) (ClientPage, error) {
	if !a.IsOperatorAdmin() {
		return ClientPage{}, errForbidden("")
	}
	limit = clampLimit(limit)
	page := ClientPage{Clients: []Client{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		orgID := ""
		if orgRef != "" {
			o, err := tx.Organization(ctx, orgRef)
			if err != nil {
				return err
			}
			orgID = o.ID
		}
		rows, err := tx.Clients(ctx, orgID, cursor, limit+1)
		for i, r := range rows {
			if i == limit {
				page.NextCursor = Cursor(rows[i-1].ID)
				break
			}
			page.Clients = append(page.Clients, clientFromRow(r))
		}
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return ClientPage{}, errNotFound("Organization")
	}
	if err != nil {
		return ClientPage{}, errInternal("list clients: %w", err)
	}
	return page, nil
}

// hasGrant reports whether the client may use grant type g.
func hasGrant(c store.Client, g string) bool { return slices.Contains(c.GrantTypes, g) }
