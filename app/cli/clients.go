package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
)

func clientListFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "description", Usage: "what the app is, shown on the consent screen"},
		&ucli.StringSliceFlag{Name: "redirect-uri", Usage: "redirect URI, compared exactly (several values after one flag, or the flag repeated)"},
		&ucli.StringSliceFlag{Name: "origin", Usage: "origin allowed to call the token, userinfo and revocation endpoints from a browser (CORS)"},
		&ucli.StringSliceFlag{Name: "scope", Usage: "allowed scope: openid, email, profile, offline_access or a product slug (default: the first four)"},
		&ucli.StringSliceFlag{Name: "post-logout-redirect-uri", Usage: "where RP-initiated logout may return to"},
		&ucli.StringSliceFlag{Name: "grant", Aliases: []string{"grant-type"}, Usage: "authorization_code, refresh_token, client_credentials or device_code, repeatable (default: the first two, and client_credentials with a secret)"},
		&ucli.StringFlag{Name: "auth-method", Usage: "client_secret_basic (default with a secret), client_secret_post or none (a public client; --public for short)"},
		&ucli.StringFlag{Name: "initiate-login-uri", Usage: "where the client portal's Connect New App starts a sign-in to this app (https)"},
		&ucli.StringFlag{Name: "target-link-uri", Usage: "sent with --initiate-login-uri as target_link_uri: where the app takes the user once signed in (https)"},
		&ucli.StringFlag{Name: "jwks-file", Usage: "FILE holding the client's public keys (a JWKS) for private_key_jwt"},
		&ucli.StringFlag{Name: "jwks-uri", Usage: "https URL of the client's public keys (a JWKS) for private_key_jwt"},
		&ucli.BoolFlag{Name: "require-par", Usage: "refuse authorization requests that were not pushed first (PAR, RFC 9126)"},
		&ucli.BoolFlag{Name: "require-dpop", Usage: "refuse token requests without a DPoP proof, so every token is bound to the client's key (RFC 9449)"},
		&ucli.BoolFlag{Name: "require-pkce", Usage: "require PKCE even though the client has a secret"},
		&ucli.BoolFlag{Name: "first-party", Usage: "skip the consent screen (only for the operator's own apps)"},
	}
}

func clientCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "client",
		Usage: "manage OAuth clients",
		Subcommands: []*ucli.Command{
			{
				Name:  "create",
				Usage: "register a client; prints its id and secret (shown once)",
				Flags: append([]ucli.Flag{
					&ucli.StringFlag{Name: "name", Usage: "application name", Required: true},
					&ucli.BoolFlag{Name: "public", Usage: "a public client (browser or mobile app): no secret, PKCE required"},
					&ucli.StringFlag{Name: "org", Usage: "owning organization, id or slug (default: the operator organization)"},
				}, clientListFlags()...),
				Action: withBackend(e, func(c *ucli.Context, b backend) error {
					jwks, err := readJWKSFile(c)
					if err != nil {
						return err
					}
					res, err := b.CreateClient(c.Context, app.ClientInput{Name: c.String("name"), JWKS: jwks, JWKSURI: c.String("jwks-uri"),
						Description: c.String("description"), RedirectURIs: c.StringSlice("redirect-uri"),
						PostLogoutRedirectURIs: c.StringSlice("post-logout-redirect-uri"), AllowedOrigins: c.StringSlice("origin"),
						AllowedScopes: c.StringSlice("scope"), GrantTypes: c.StringSlice("grant"), Public: c.Bool("public"),
						RequirePKCE: c.Bool("require-pkce"), FirstParty: c.Bool("first-party"), OrgRef: c.String("org"),
						AuthMethod: c.String("auth-method"), InitiateLoginURI: c.String("initiate-login-uri"), TargetLinkURI: c.String("target-link-uri"), RequirePAR: c.Bool("require-par"),
						RequireDPoP: c.Bool("require-dpop")})
					if err != nil {
						return err
					}
					return printClientSecret(c, e.stdout, res, "Created")
				}),
			},
			{
				Name: "list", Usage: "list clients",
				Flags: []ucli.Flag{&ucli.StringFlag{Name: "org", Usage: "only this organization's clients"}},
				Action: withBackend(e, func(c *ucli.Context, b backend) error {
					page, err := b.ListClients(c.Context, c.String("org"))
					if err != nil {
						return err
					}
					if globalBool(c, "json") {
						return printJSON(e.stdout, page)
					}
					for _, cl := range page.Clients {
						fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\n", cl.ClientID, cl.Name, clientKind(cl), enabledWord(cl.Enabled))
					}
					return nil
				}),
			},
			oneClientCommand(e, "get", "show a client", func(c *ucli.Context, b backend, id string) (app.Client, error) {
				return b.Client(c.Context, id)
			}),
			{
				Name: "update", Usage: "change a client; new redirect URIs or scopes ask users for consent again", ArgsUsage: "CLIENT_ID",
				Flags: append([]ucli.Flag{&ucli.StringFlag{Name: "name", Usage: "application name"}}, clientListFlags()...),
				Action: withBackend(e, func(c *ucli.Context, b backend) error {
					id, err := oneArg(c, "the client id")
					if err != nil {
						return err
					}
					p, err := clientPatch(c)
					if err != nil {
						return err
					}
					cl, err := b.UpdateClient(c.Context, id, p)
					if err != nil {
						return err
					}
					return printClient(c, e.stdout, cl)
				}),
			},
			oneClientCommand(e, "disable", "disable a client: it can no longer sign users in or use its tokens", func(c *ucli.Context, b backend, id string) (app.Client, error) {
				off := false
				return b.UpdateClient(c.Context, id, app.ClientPatch{Enabled: &off})
			}),
			oneClientCommand(e, "enable", "enable a client again", func(c *ucli.Context, b backend, id string) (app.Client, error) {
				on := true
				return b.UpdateClient(c.Context, id, app.ClientPatch{Enabled: &on})
			}),
			{
				Name: "rotate-secret", Usage: "give a client a new secret (shown once); the old one stops working", ArgsUsage: "CLIENT_ID",
				Action: withBackend(e, func(c *ucli.Context, b backend) error {
					id, err := oneArg(c, "the client id")
					if err != nil {
						return err
					}
					res, err := b.RotateClientSecret(c.Context, id)
					if err != nil {
						return err
					}
					return printClientSecret(c, e.stdout, res, "Rotated the secret of")
				}),
			},
		},
	}
}

// readJWKSFile reads --jwks-file, when given, as the key set to send.
func readJWKSFile(c *ucli.Context) (json.RawMessage, error) {
	name := c.String("jwks-file")
	if name == "" {
		return nil, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("--jwks-file: %w", err)
	}
	if !json.Valid(data) {
		return nil, fmt.Errorf("--jwks-file %s: not JSON", name)
	}
	return json.RawMessage(data), nil
}

// clientPatch reads the flags that were given, and only those.
func clientPatch(c *ucli.Context) (app.ClientPatch, error) {
	var p app.ClientPatch
	str := func(name string) *string {
		if !c.IsSet(name) {
			return nil
		}
		v := c.String(name)
		return &v
	}
	list := func(name string) *[]string {
		if !c.IsSet(name) {
			return nil
		}
		v := c.StringSlice(name)
		return &v
	}
	boolean := func(name string) *bool {
		if !c.IsSet(name) {
			return nil
		}
		v := c.Bool(name)
		return &v
	}
	p.Name, p.Description = str("name"), str("description")
	p.RedirectURIs, p.AllowedOrigins, p.AllowedScopes = list("redirect-uri"), list("origin"), list("scope")
	p.PostLogoutRedirectURIs, p.GrantTypes = list("post-logout-redirect-uri"), list("grant")
	p.AuthMethod, p.InitiateLoginURI, p.TargetLinkURI = str("auth-method"), str("initiate-login-uri"), str("target-link-uri")
	p.RequirePKCE, p.FirstParty, p.RequirePAR = boolean("require-pkce"), boolean("first-party"), boolean("require-par")
	p.RequireDPoP, p.JWKSURI = boolean("require-dpop"), str("jwks-uri")
	if c.IsSet("jwks-file") {
		jwks, err := readJWKSFile(c)
		if err != nil {
			return p, err
		}
		p.JWKS = &jwks
	}
	return p, nil
}

func oneClientCommand(e *env, name, usage string, fn func(*ucli.Context, backend, string) (app.Client, error)) *ucli.Command {
	return &ucli.Command{
		Name: name, Usage: usage, ArgsUsage: "CLIENT_ID",
		Action: withBackend(e, func(c *ucli.Context, b backend) error {
			id, err := oneArg(c, "the client id")
			if err != nil {
				return err
			}
			cl, err := fn(c, b, id)
			if err != nil {
				return err
			}
			return printClient(c, e.stdout, cl)
		}),
	}
}

func printClientSecret(c *ucli.Context, w io.Writer, res app.ClientWithSecret, verb string) error {
	if globalBool(c, "json") {
		return printJSON(w, res)
	}
	fmt.Fprintf(w, "%s client %s (%s).\n\n  client_id:     %s\n", verb, res.Name, clientKind(res.Client), res.ClientID)
	if res.ClientSecret != "" {
		fmt.Fprintf(w, "  client_secret: %s\n\nThe secret is shown only this once; store it now.\n", res.ClientSecret)
	}
	return nil
}

func printClient(c *ucli.Context, w io.Writer, cl app.Client) error {
	if globalBool(c, "json") {
		return printJSON(w, cl)
	}
	rows := [][2]string{
		{"client_id", cl.ClientID}, {"name", cl.Name}, {"description", cl.Description}, {"kind", clientKind(cl)},
		{"status", enabledWord(cl.Enabled)}, {"organization", cl.OrgID},
		{"redirect_uris", strings.Join(cl.RedirectURIs, " ")}, {"allowed_origins", strings.Join(cl.AllowedOrigins, " ")},
		{"allowed_scopes", strings.Join(cl.AllowedScopes, " ")}, {"grant_types", strings.Join(cl.GrantTypes, " ")},
		{"post_logout_redirect_uris", strings.Join(cl.PostLogoutRedirectURIs, " ")},
		{"require_pkce", fmt.Sprint(cl.PKCERequired())}, {"first_party", fmt.Sprint(cl.FirstParty)},
		{"token_endpoint_auth_method", cl.AuthMethod}, {"initiate_login_uri", cl.InitiateLoginURI}, {"target_link_uri", cl.TargetLinkURI},
		{"require_par", fmt.Sprint(cl.RequirePAR)}, {"require_dpop", fmt.Sprint(cl.RequireDPoP)}, {"jwks_uri", cl.JWKSURI}, {"jwks", string(cl.JWKS)},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%-26s %s\n", r[0]+":", r[1])
	}
	return nil
}

func clientKind(c app.Client) string {
	if c.Public {
		return "public"
	}
	return "confidential"
}

func enabledWord(on bool) string {
	if on {
		return "enabled"
	}
	return "disabled"
}
