package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Client is an oauth_clients row with its CORS origins.
type Client struct {
	ID                     string
	SecretHash             string // '' for public clients
	Name                   string
	Description            string
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	AllowedOrigins         []string // rows of oauth_client_origins
	AllowedScopes          []string
	GrantTypes             []string
	Public                 bool
	RequirePKCE            bool
	FirstParty             bool
	// AuthMethod is the token endpoint authentication method:
	// client_secret_basic, client_secret_post or none.
	AuthMethod string
	// InitiateLoginURI is where a third party (the client portal) may start
	// the client's sign-in; '' when it has none.
	InitiateLoginURI string
	// TargetLinkURI is where the app should take the user after a sign-in
	// the client portal started; '' for none.
	TargetLinkURI string
	// RequirePAR refuses authorization requests that were not pushed.
	RequirePAR bool
	// RequireDPoP refuses token requests without a DPoP proof.
	RequireDPoP bool
	// JWKS (a JSON Web Key Set) or JWKSURI holds the public keys of a
	// private_key_jwt client; '' otherwise.
	JWKS           string
	JWKSURI        string
	Enabled        bool
	OrgID          string
	ConsentVersion int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

const clientColumns = `c.id, c.secret_hash, c.name, c.description, c.redirect_uris, c.post_logout_redirect_uris,
	c.allowed_scopes, c.grant_types, c.public, c.require_pkce, c.first_party, c.auth_method, c.initiate_login_uri, c.target_link_uri,
	c.require_par, c.require_dpop, c.jwks, c.jwks_uri, c.enabled, c.org_id, c.consent_version, c.created_at, c.updated_at,
	(SELECT COALESCE(string_agg(o.origin, ' ' ORDER BY o.origin), '') FROM oauth_client_origins o WHERE o.client_id = c.id)`

// clientWidth is the number of clientColumns.
const clientWidth = 24

func scanClient(row scanner) (Client, error) {
	var c Client
	var redirects, logouts, scopes, grants, origins, created, updated string
	err := row.Scan(&c.ID, &c.SecretHash, &c.Name, &c.Description, &redirects, &logouts, &scopes, &grants,
		&c.Public, &c.RequirePKCE, &c.FirstParty, &c.AuthMethod, &c.InitiateLoginURI, &c.TargetLinkURI, &c.RequirePAR, &c.RequireDPoP, &c.JWKS, &c.JWKSURI, &c.Enabled, &c.OrgID, &c.ConsentVersion, &created, &updated, &origins)
	if err != nil {
		return c, mapErr(err)
	}
	for _, f := range []struct {
		src string
		dst *[]string
	}{{redirects, &c.RedirectURIs}, {logouts, &c.PostLogoutRedirectURIs}, {scopes, &c.AllowedScopes},
		{grants, &c.GrantTypes}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return c, fmt.Errorf("client %s: decode list: %w", c.ID, err)
		}
	}
	// Origins are space-free by validation, so a space joins them on both
	// engines (string_agg; SQLite has no json_agg, PostgreSQL no
	// json_group_array).
	c.AllowedOrigins = strings.Fields(origins)
	if c.AllowedOrigins == nil {
		c.AllowedOrigins = []string{}
	}
	c.CreatedAt, c.UpdatedAt = parseTime(created), parseTime(updated)
	return c, nil
}

func jsonList(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v) // a []string always marshals
	return string(b)
}

// InsertClient adds a client and its origins.
func (tx *Tx) InsertClient(ctx context.Context, c Client) error {
	_, err := tx.exec(ctx, `INSERT INTO oauth_clients (id, secret_hash, name, description, redirect_uris,
		post_logout_redirect_uris, allowed_scopes, grant_types, public, require_pkce, first_party, auth_method,
		initiate_login_uri, target_link_uri, require_par, require_dpop, jwks, jwks_uri, enabled, org_id, consent_version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.SecretHash, c.Name, c.Description, jsonList(c.RedirectURIs), jsonList(c.PostLogoutRedirectURIs),
		jsonList(c.AllowedScopes), jsonList(c.GrantTypes), c.Public, c.RequirePKCE, c.FirstParty, c.AuthMethod,
		c.InitiateLoginURI, c.TargetLinkURI, c.RequirePAR, c.RequireDPoP, c.JWKS, c.JWKSURI, c.Enabled,
		c.OrgID, c.ConsentVersion, formatTime(c.CreatedAt), formatTime(c.UpdatedAt))
	if err != nil {
		return err
	}
	return tx.setOrigins(ctx, c.ID, c.AllowedOrigins)
}

// UpdateClient writes back every mutable column of a client and replaces
// its origins.
func (tx *Tx) UpdateClient(ctx context.Context, c Client) error {
	err := tx.execOne(ctx, `UPDATE oauth_clients SET secret_hash = ?, name = ?, description = ?, redirect_uris = ?,
		post_logout_redirect_uris = ?, allowed_scopes = ?, grant_types = ?, public = ?, require_pkce = ?,
		first_party = ?, auth_method = ?, initiate_login_uri = ?, target_link_uri = ?, require_par = ?, require_dpop = ?, jwks = ?, jwks_uri = ?,
		enabled = ?, org_id = ?, consent_version = ?,
		updated_at = ? WHERE id = ?`,
		c.SecretHash, c.Name, c.Description, jsonList(c.RedirectURIs), jsonList(c.PostLogoutRedirectURIs),
		jsonList(c.AllowedScopes), jsonList(c.GrantTypes), c.Public, c.RequirePKCE, c.FirstParty, c.AuthMethod,
		c.InitiateLoginURI, c.TargetLinkURI, c.RequirePAR, c.RequireDPoP, c.JWKS, c.JWKSURI, c.Enabled,
		c.OrgID, c.ConsentVersion, formatTime(c.UpdatedAt), c.ID)
	if err != nil {
		return err
	}
	return tx.setOrigins(ctx, c.ID, c.AllowedOrigins)
}

func (tx *Tx) setOrigins(ctx context.Context, clientID string, origins []string) error {
	if _, err := tx.exec(ctx, "DELETE FROM oauth_client_origins WHERE client_id = ?", clientID); err != nil {
		return err
	}
	for _, o := range origins {
		if _, err := tx.exec(ctx, "INSERT INTO oauth_client_origins (origin, client_id) VALUES (?, ?)", o, clientID); err != nil {
			return err
		}
	}
	return nil
}

var clientByIDQuery = hot("SELECT " + clientColumns + " FROM oauth_clients c WHERE c.id = ?")

// Client finds a client by id.
func (tx *Tx) Client(ctx context.Context, id string) (Client, error) {
	return scanClient(tx.queryRow(ctx, clientByIDQuery, id))
}

// Clients lists clients ordered by id after the cursor; orgID filters by
// owning organization when not empty.
func (tx *Tx) Clients(ctx context.Context, orgID, after string, limit int) ([]Client, error) {
	q := "SELECT " + clientColumns + " FROM oauth_clients c WHERE c.id > ? AND (? = '' OR c.org_id = ?) ORDER BY c.id LIMIT ?"
	rows, err := tx.query(ctx, q, after, orgID, orgID, limit)
	return collect(rows, err, scanClient)
}

// CountClients counts every client.
func (tx *Tx) CountClients(ctx context.Context) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM oauth_clients").Scan(&n)
	return n, err
}

// OriginAllowed reports whether an enabled client lists origin for CORS.
func (tx *Tx) OriginAllowed(ctx context.Context, origin string) (bool, error) {
	var ok bool
	err := tx.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM oauth_client_origins o
		JOIN oauth_clients c ON c.id = o.client_id AND c.enabled = 1 WHERE o.origin = ?)`, origin).Scan(&ok)
	return ok, err
}
