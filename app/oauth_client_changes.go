package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"optare/app/oidc"
	"optare/store"
)

// ClientInput registers a client (CreateClient).
type ClientInput struct {
	Name                   string   `json:"name"`
	Description            string   `json:"description"`
	RedirectURIs           []string `json:"redirect_uris"`
	PostLogoutRedirectURIs []string `json:"post_logout_redirect_uris"`
	AllowedOrigins         []string `json:"allowed_origins"`
	// AllowedScopes defaults to openid, email, profile and offline_access.
	AllowedScopes []string `json:"allowed_scopes"`
	// GrantTypes defaults to authorization_code and refresh_token, plus
	// client_credentials for confidential clients.
	GrantTypes  []string `json:"grant_types"`
	Public      bool     `json:"public"`
	RequirePKCE bool     `json:"require_pkce"`
	// FirstParty skips the consent screen; only for the operator's own apps.
	FirstParty bool `json:"first_party"`
	// AuthMethod is client_secret_basic (the default with a secret),
	// client_secret_post or none, which is the same as Public.
	AuthMethod string `json:"token_endpoint_auth_method"`
	// InitiateLoginURI lists the client under the client portal's Connect
	// New App; https (or http on a loopback host).
	InitiateLoginURI string `json:"initiate_login_uri"`
	// TargetLinkURI goes with it as target_link_uri (https, or http on a
	// loopback host); only with an InitiateLoginURI.
	TargetLinkURI string `json:"target_link_uri"`
	// RequirePAR refuses authorization requests that were not pushed.
	RequirePAR bool `json:"require_pushed_authorization_requests"`
	// RequireDPoP refuses token requests without a DPoP proof.
	RequireDPoP bool `json:"dpop_bound_access_tokens"`
	// JWKS (a JSON Web Key Set, by value) or JWKSURI (https) holds the
	// public keys of a private_key_jwt client.
	JWKS    json.RawMessage `json:"jwks,omitempty"`
	JWKSURI string          `json:"jwks_uri"`
	OrgRef  string          `json:"organization_id"` // id or slug; default the operator organization
}

// ClientPatch changes a client (UpdateClient); nil fields stay as they are.
type ClientPatch struct {
	Name                   *string   `json:"name"`
	Description            *string   `json:"description"`
	RedirectURIs           *[]string `json:"redirect_uris"`
	PostLogoutRedirectURIs *[]string `json:"post_logout_redirect_uris"`
	AllowedOrigins         *[]string `json:"allowed_origins"`
	AllowedScopes          *[]string `json:"allowed_scopes"`
	GrantTypes             *[]string `json:"grant_types"`
	RequirePKCE            *bool     `json:"require_pkce"`
	FirstParty             *bool     `json:"first_party"`
	// AuthMethod may move between client_secret_basic and
	// client_secret_post; a client never changes between public and
	// confidential.
	AuthMethod       *string `json:"token_endpoint_auth_method"`
	InitiateLoginURI *string `json:"initiate_login_uri"`
	TargetLinkURI    *string `json:"target_link_uri"`
	RequirePAR       *bool   `json:"require_pushed_authorization_requests"`
	RequireDPoP      *bool   `json:"dpop_bound_access_tokens"`
	// JWKS replaces the key set; an empty JSON string ("") removes it.
	JWKS    *json.RawMessage `json:"jwks"`
	JWKSURI *string          `json:"jwks_uri"`
	Enabled *bool            `json:"enabled"`
}

var defaultClientScopes = []string{oidc.ScopeOpenID, oidc.ScopeEmail, oidc.ScopeProfile, oidc.ScopeOfflineAccess}

// validate normalises the input into a row (without id, secret or times).
// base, when set, is the stored client an update starts from.
func (in ClientInput) validate(base *store.Client) (store.Client, error) {
	f := fields{}
	row := store.Client{Public: in.Public, RequirePKCE: in.RequirePKCE, FirstParty: in.FirstParty, RequirePAR: in.RequirePAR,
		RequireDPoP: in.RequireDPoP}
	if base != nil {
		row = *base
		row.RequirePKCE, row.FirstParty, row.RequirePAR = in.RequirePKCE, in.FirstParty, in.RequirePAR
		row.RequireDPoP = in.RequireDPoP
	}
	row.Name = checkName(f, "name", "a name", in.Name, 100)
	row.Description = strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(row.Description) > 1000 {
		f.add("description", "Use at most 1000 characters.")
	}
	row.RedirectURIs = checkList(f, "redirect_uris", in.RedirectURIs, oidc.ValidRedirectURI)
	row.PostLogoutRedirectURIs = checkList(f, "post_logout_redirect_uris", in.PostLogoutRedirectURIs, oidc.ValidRedirectURI)
	row.AllowedOrigins = checkList(f, "allowed_origins", in.AllowedOrigins, oidc.ValidOrigin)
	row.AllowedScopes = checkList(f, "allowed_scopes", in.AllowedScopes, checkScopeName)
	if len(in.AllowedScopes) == 0 {
		row.AllowedScopes = slices.Clone(defaultClientScopes)
	}
	row.AuthMethod, row.InitiateLoginURI = checkAuthMethod(f, &row, base, in), strings.TrimSpace(in.InitiateLoginURI)
	if row.InitiateLoginURI != "" {
		if err := oidc.ValidInitiateLoginURI(row.InitiateLoginURI); err != nil {
			f.add("initiate_login_uri", err.Error())
		}
	}
	row.TargetLinkURI = strings.TrimSpace(in.TargetLinkURI)
	switch {
	case row.TargetLinkURI == "":
	case row.InitiateLoginURI == "":
		f.add("target_link_uri", "A target link URI needs an initiate login URI.")
	default:
		if err := oidc.ValidInitiateLoginURI(row.TargetLinkURI); err != nil {
			f.add("target_link_uri", err.Error())
		}
	}
	row.JWKS, row.JWKSURI = checkClientKeys(f, row.AuthMethod, in.JWKS, strings.TrimSpace(in.JWKSURI))
	row.GrantTypes = checkList(f, "grant_types", grantTypeNames(in.GrantTypes), checkGrantType)
	if len(in.GrantTypes) == 0 {
		row.GrantTypes = []string{oidc.GrantAuthorizationCode, oidc.GrantRefreshToken}
		if !row.Public {
			row.GrantTypes = append(row.GrantTypes, oidc.GrantClientCredentials)
		}
	}
	if row.Public && slices.Contains(row.GrantTypes, oidc.GrantClientCredentials) {
		f.add("grant_types", "A public client has no secret and cannot use client_credentials.")
	}
	if slices.Contains(row.GrantTypes, oidc.GrantAuthorizationCode) && len(row.RedirectURIs) == 0 {
		f.add("redirect_uris", "Add at least one redirect URI.")
	}
	return row, f.err()
}

// checkList trims, drops duplicates and checks each value.
func checkList(f fields, name string, values []string, check func(string) error) []string {
	out := []string{}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" || slices.Contains(out, v) {
			continue
		}
		if err := check(v); err != nil {
			f.add(name, fmt.Sprintf("%s: %v", v, err))
			continue
		}
		out = append(out, v)
	}
	if len(out) > 50 {
		f.add(name, "Use at most 50 values.")
	}
	return out
}

// checkScopeName accepts the standard scopes and product slugs.
func checkScopeName(s string) error {
	if slices.Contains(defaultClientScopes, s) {
		return nil
	}
	f := fields{}
	checkSlug(f, "scope", s)
	if len(f) > 0 {
		return errors.New("not a standard scope or a product slug")
	}
	return nil
}

func checkGrantType(g string) error {
	switch g {
	case oidc.GrantAuthorizationCode, oidc.GrantRefreshToken, oidc.GrantClientCredentials, oidc.GrantDeviceCode:
		return nil
	}
	return errors.New("use authorization_code, refresh_token, client_credentials or device_code")
}

// grantTypeNames accepts device_code as the short name of the device
// grant's URN, which is what is stored and shown.
func grantTypeNames(in []string) []string {
	out := make([]string, 0, len(in))
	for _, g := range in {
		if strings.TrimSpace(g) == "device_code" {
			g = oidc.GrantDeviceCode
		}
		out = append(out, g)
	}
	return out
}

// checkAuthMethod settles the client's authentication method and, on
// creation, whether it is public: none and Public are the same thing.
// base is the stored client on an update, whose kind cannot change.
func checkAuthMethod(f fields, row *store.Client, base *store.Client, in ClientInput) string {
	m := strings.TrimSpace(in.AuthMethod)
	switch m {
	case "", oidc.AuthMethodSecretBasic, oidc.AuthMethodSecretPost, oidc.AuthMethodNone, oidc.AuthMethodPrivateKeyJWT:
	default:
		f.add("token_endpoint_auth_method", "Use client_secret_basic, client_secret_post, private_key_jwt or none.")
		return row.AuthMethod
	}
	if base == nil && m == oidc.AuthMethodNone {
		row.Public = true
	}
	switch {
	case m == "" && row.Public:
		return oidc.AuthMethodNone
	case m == "" && row.AuthMethod != "":
		return row.AuthMethod
	case m == "":
		return oidc.AuthMethodSecretBasic
	case row.Public != (m == oidc.AuthMethodNone) && base == nil:
		f.add("token_endpoint_auth_method", "A public client has no secret: its method is none.")
	case row.Public != (m == oidc.AuthMethodNone):
		f.add("token_endpoint_auth_method", "A client cannot change between public (none) and having a secret; register a new client.")
	}
	return m
}

// checkClientKeys validates the key set of a private_key_jwt client: a
// JWKS by value or an https jwks_uri, exactly one. Other clients have none.
func checkClientKeys(f fields, method string, jwks json.RawMessage, uri string) (string, string) {
	set := strings.TrimSpace(string(jwks))
	if set == `""` || set == "null" {
		set = ""
	}
	if method != oidc.AuthMethodPrivateKeyJWT {
		if set != "" || uri != "" {
			f.add("jwks", "Keys are only for clients that authenticate with private_key_jwt.")
		}
		return "", ""
	}
	switch {
	case set == "" && uri == "":
		f.add("jwks", "A private_key_jwt client needs its public keys: a JWKS or a jwks_uri.")
	case set != "" && uri != "":
		f.add("jwks", "Give the keys once: a JWKS or a jwks_uri, not both.")
	case set != "":
		if _, err := oidc.ParseJWKS([]byte(set)); err != nil {
			f.add("jwks", err.Error())
		}
	default:
		if err := oidc.ValidJWKSURI(uri); err != nil {
			f.add("jwks_uri", err.Error())
		}
	}
	return set, uri
}

// UpdateClient changes a client. Changing its redirect URIs or allowed
// scopes invalidates every consent users gave it, so they are asked again.
// Disabling it stops its tokens at once. Operator admins only.
func (s *Service) UpdateClient(ctx context.Context, a Actor, id string, p ClientPatch) (Client, error) {
	action := "client.updated"
	if p.Enabled != nil && p == (ClientPatch{Enabled: p.Enabled}) {
		// Only switching it on or off: the same entry whichever door asked.
		action = "client.disabled"
		if *p.Enabled {
			action = "client.enabled"
		}
	}
	return s.changeClient(ctx, a, id, action, func(row *store.Client) error {
		in := ClientInput{Name: row.Name, Description: row.Description, RedirectURIs: row.RedirectURIs,
			PostLogoutRedirectURIs: row.PostLogoutRedirectURIs, AllowedOrigins: row.AllowedOrigins,
			AllowedScopes: row.AllowedScopes, GrantTypes: row.GrantTypes, Public: row.Public,
			RequirePKCE: row.RequirePKCE, FirstParty: row.FirstParty, AuthMethod: row.AuthMethod,
			InitiateLoginURI: row.InitiateLoginURI, TargetLinkURI: row.TargetLinkURI, RequirePAR: row.RequirePAR, RequireDPoP: row.RequireDPoP, JWKS: json.RawMessage(row.JWKS),
			JWKSURI: row.JWKSURI}
		setIf(&in.Name, p.Name)
		setIf(&in.Description, p.Description)
		setIf(&in.RedirectURIs, p.RedirectURIs)
		setIf(&in.PostLogoutRedirectURIs, p.PostLogoutRedirectURIs)
		setIf(&in.AllowedOrigins, p.AllowedOrigins)
		setIf(&in.AllowedScopes, p.AllowedScopes)
		setIf(&in.GrantTypes, p.GrantTypes)
		setIf(&in.RequirePKCE, p.RequirePKCE)
		setIf(&in.FirstParty, p.FirstParty)
		setIf(&in.AuthMethod, p.AuthMethod)
		setIf(&in.InitiateLoginURI, p.InitiateLoginURI)
		setIf(&in.TargetLinkURI, p.TargetLinkURI)
		setIf(&in.RequirePAR, p.RequirePAR)
		setIf(&in.RequireDPoP, p.RequireDPoP)
		setIf(&in.JWKS, p.JWKS)
		setIf(&in.JWKSURI, p.JWKSURI)
		next, err := in.validate(row)
		if err != nil {
			return err
		}
		setIf(&next.Enabled, p.Enabled)
		if next.AuthMethod == oidc.AuthMethodPrivateKeyJWT {
			next.SecretHash = "" // its keys replace the secret
		}
		if consentChanged(*row, next) {
			next.ConsentVersion++
		}
		*row = next
		return nil
	})
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// SetClientEnabled enables or disables a client. A disabled client cannot
// authorize, get tokens or use the ones it has. Operator admins only.
func (s *Service) SetClientEnabled(ctx context.Context, a Actor, id string, enabled bool) (Client, error) {
	return s.UpdateClient(ctx, a, id, ClientPatch{Enabled: &enabled})
}

// RotateClientSecret gives a confidential client a new secret, returned
// once; the old one stops working at once. Operator admins only.
func (s *Service) RotateClientSecret(ctx context.Context, a Actor, id string) (ClientWithSecret, error) {
	secret := newSecret(prefixClientSecret)
	c, err := s.changeClient(ctx, a, id, "client.secret_rotated", func(row *store.Client) error {
		if row.Public {
			return &Error{Kind: KindInvalid, Code: "public_client", Message: "A public client has no secret to rotate."}
		}
		if row.AuthMethod == oidc.AuthMethodPrivateKeyJWT {
			return &Error{Kind: KindInvalid, Code: "key_client", Message: "This client authenticates with its own keys (private_key_jwt); switch it to client_secret_basic first."}
		}
		row.SecretHash = oidc.HashSecret(secret)
		return nil
	})
	if err != nil {
		return ClientWithSecret{}, err
	}
	return ClientWithSecret{Client: c, ClientSecret: secret}, nil
}

// changeClient is the shared shape of client changes: load, change, write
// and audit in one transaction.
func (s *Service) changeClient(ctx context.Context, a Actor, id, action string, change func(*store.Client) error) (Client, error) {
	if !a.IsOperatorAdmin() {
		return Client{}, errForbidden("")
	}
	var out Client
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.Client(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound("Client")
		}
		if err != nil {
			return errInternal("read client: %w", err)
		}
		before := row.ConsentVersion
		if err := change(&row); err != nil {
			return err
		}
		row.UpdatedAt = tx.Now
		if err := tx.UpdateClient(ctx, row); err != nil {
			return errInternal("update client: %w", err)
		}
		out = clientFromRow(row)
		details := clientDetails(out)
		if row.ConsentVersion != before {
			details["consents_invalidated"] = true
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: action, TargetType: "client", TargetID: row.ID, OrgID: row.OrgID, Details: details})
	})
	return out, err
}
