package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
)

func orgCommand(e *env) *ucli.Command {
	return &ucli.Command{Name: "org", Aliases: []string{"organization"}, Usage: "manage organizations", Subcommands: []*ucli.Command{
		setLimitCommand(e, "organization", "per-hour", func(b backend, c *ucli.Context, id string, n int) (app.RateLimitSetting, error) {
			return b.SetOrganizationRateLimit(c.Context, id, n)
		}),
		{Name: "create", Usage: "add a customer organization", Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "name", Required: true, Usage: "organization name"},
			&ucli.StringFlag{Name: "slug", Usage: "slug (derived from the name when omitted)"},
		}, Action: withBackend(e, e.orgCreate)},
		{Name: "list", Usage: "list organizations", Action: withBackend(e, e.orgList)},
		{Name: "get", Usage: "show an organization", ArgsUsage: "ID|SLUG", Action: withBackend(e, e.orgGet)},
	}}
}

func (e *env) orgCreate(c *ucli.Context, b backend) error {
	o, err := b.CreateOrganization(c.Context, app.OrganizationInput{Name: c.String("name"), Slug: c.String("slug")})
	if err != nil {
		return err
	}
	return e.show(c, o, orgHeader, orgRows(o))
}

func (e *env) orgList(c *ucli.Context, b backend) error {
	p, err := b.ListOrganizations(c.Context)
	if err != nil {
		return err
	}
	return e.show(c, p, orgHeader, orgRows(p.Organizations...))
}

func (e *env) orgGet(c *ucli.Context, b backend) error {
	ref, err := oneArg(c, "the organization's id or slug")
	if err != nil {
		return err
	}
	o, err := b.Organization(c.Context, ref)
	if err != nil {
		return err
	}
	return e.show(c, o, orgHeader, orgRows(o))
}

func userCommand(e *env) *ucli.Command {
	byID := func(patch func(c *ucli.Context) (app.UserPatch, error)) ucli.ActionFunc {
		return withBackend(e, func(c *ucli.Context, b backend) error {
			id, err := oneArg(c, "the user id")
			if err != nil {
				return err
			}
			p, err := patch(c)
			if err != nil {
				return err
			}
			u, err := b.UpdateUser(c.Context, id, p)
			if err != nil {
				return err
			}
			return e.show(c, u, userHeader, userRows(u))
		})
	}
	setBool := func(v bool) func(*ucli.Context) (app.UserPatch, error) {
		return func(*ucli.Context) (app.UserPatch, error) { return app.UserPatch{Disabled: &v}, nil }
	}
	return &ucli.Command{Name: "user", Usage: "manage users", Subcommands: []*ucli.Command{
		{Name: "create", Usage: "add a user to an organization", Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "email", Required: true},
			&ucli.StringFlag{Name: "name", Required: true},
			&ucli.StringFlag{Name: "org", Aliases: []string{"organization"}, Required: true, Usage: "organization id or slug"},
			&ucli.StringFlag{Name: "role", Value: app.RoleMember, Usage: "owner, admin or member"},
		}, passwordFlags()...), Action: withBackend(e, e.userCreate)},
		{Name: "list", Usage: "list users", Flags: append(pageFlags(), &ucli.StringFlag{Name: "org", Aliases: []string{"organization"}, Usage: "members of one organization"}),
			Action: withBackend(e, e.userList)},
		{Name: "get", Usage: "show a user", ArgsUsage: "ID", Action: withBackend(e, e.userGet)},
		{Name: "disable", Usage: "disable a user (ends their sessions and tokens)", ArgsUsage: "ID", Action: byID(setBool(true))},
		{Name: "enable", Usage: "enable a disabled user", ArgsUsage: "ID", Action: byID(setBool(false))},
		{Name: "set-password", Usage: "set a user's password (ends their sessions and tokens)", ArgsUsage: "ID", Flags: passwordFlags(),
			Action: byID(func(c *ucli.Context) (app.UserPatch, error) {
				pw, err := readSecret(c, e.stdin)
				if err != nil {
					return app.UserPatch{}, err
				}
				return app.UserPatch{Password: &pw}, nil
			})},
	}}
}

func (e *env) userCreate(c *ucli.Context, b backend) error {
	password, err := readSecret(c, e.stdin)
	if err != nil {
		return err
	}
	u, err := b.CreateUser(c.Context, app.UserInput{Email: c.String("email"), Name: c.String("name"), OrgRef: c.String("org"),
		Role: c.String("role"), Password: password})
	if err != nil {
		return err
	}
	return e.show(c, u, userHeader, userRows(u))
}

func (e *env) userList(c *ucli.Context, b backend) error {
	p, err := b.ListUsers(c.Context, app.UserQuery{Organization: c.String("org"), Limit: c.Int("limit"), Cursor: c.String("cursor")})
	if err != nil {
		return err
	}
	defer printNext(e.stdout, c, p.NextCursor)
	return e.show(c, p, userHeader, userRows(p.Users...))
}

func (e *env) userGet(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the user id")
	if err != nil {
		return err
	}
	u, err := b.User(c.Context, id)
	if err != nil {
		return err
	}
	return e.show(c, u, userHeader, userRows(u))
}

func apiKeyCommand(e *env) *ucli.Command {
	return &ucli.Command{Name: "apikey", Usage: "manage API keys", Subcommands: []*ucli.Command{
		{Name: "create", Usage: "create an API key (the secret is shown once)", Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "org", Aliases: []string{"organization"}, Required: true, Usage: "organization id or slug"},
			&ucli.StringFlag{Name: "name", Required: true},
			&ucli.StringFlag{Name: "env", Value: app.EnvLive, Usage: "live or test"},
			&ucli.StringFlag{Name: "expires", Usage: "expiry date or time (default: never)"},
		}, Action: withBackend(e, e.apikeyCreate)},
		{Name: "list", Usage: "list API keys", Flags: append(pageFlags(), &ucli.StringFlag{Name: "org", Aliases: []string{"organization"}}),
			Action: withBackend(e, e.apikeyList)},
		setLimitCommand(e, "API key", "per-minute", func(b backend, c *ucli.Context, id string, n int) (app.RateLimitSetting, error) {
			return b.SetAPIKeyRateLimit(c.Context, id, n)
		}),
		{Name: "revoke", Usage: "revoke an API key at once", ArgsUsage: "ID", Action: withBackend(e, e.apikeyRevoke)},
	}}
}

func (e *env) apikeyCreate(c *ucli.Context, b backend) error {
	k, err := b.CreateAPIKey(c.Context, app.APIKeyInput{OrganizationID: c.String("org"), Name: c.String("name"),
		Environment: c.String("env"), ExpiresAt: c.String("expires")})
	if err != nil {
		return err
	}
	if globalBool(c, "json") {
		return printJSON(e.stdout, k)
	}
	fmt.Fprintf(e.stdout, "Created API key %q for %s. The secret is shown only now:\n\n  OPTARE_API_KEY=%s\n  OPTARE_API_SECRET=%s\n\n", k.Name, k.OrganizationID, k.Key, k.Secret)
	return nil
}

func (e *env) apikeyList(c *ucli.Context, b backend) error {
	p, err := b.ListAPIKeys(c.Context, app.APIKeyQuery{Organization: c.String("org"), Limit: c.Int("limit"), Cursor: c.String("cursor")})
	if err != nil {
		return err
	}
	defer printNext(e.stdout, c, p.NextCursor)
	return e.show(c, p, apiKeyHeader, apiKeyRows(p.APIKeys...))
}

func (e *env) apikeyRevoke(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the key id")
	if err != nil {
		return err
	}
	k, err := b.RevokeAPIKey(c.Context, id)
	if err != nil {
		return err
	}
	return e.show(c, k, apiKeyHeader, apiKeyRows(k))
}

func auditCommand(e *env) *ucli.Command {
	return &ucli.Command{Name: "audit", Usage: "read the audit log", Subcommands: []*ucli.Command{
		{Name: "list", Usage: "list entries, newest first", Flags: append(pageFlags(),
			&ucli.StringFlag{Name: "action", Usage: `exact action or a prefix ending in "." (product.)`},
			&ucli.StringFlag{Name: "actor", Usage: "actor id or label"},
			&ucli.StringFlag{Name: "org", Aliases: []string{"organization"}, Usage: "organization id or slug"},
			&ucli.StringFlag{Name: "since", Usage: "date or RFC 3339 time"},
			&ucli.StringFlag{Name: "until", Usage: "date or RFC 3339 time"},
		), Action: withBackend(e, e.auditList)},
	}}
}

func (e *env) auditList(c *ucli.Context, b backend) error {
	q := app.AuditQuery{Action: c.String("action"), Actor: c.String("actor"), OrgID: c.String("org"),
		Since: c.String("since"), Until: c.String("until"), Limit: c.Int("limit"), Cursor: c.String("cursor")}
	p, err := b.ListAudit(c.Context, q)
	if err != nil {
		return err
	}
	defer printNext(e.stdout, c, p.NextCursor)
	return e.show(c, p, "TIME\tACTOR\tACTION\tTARGET\tORGANIZATION\tOUTCOME", func(row func(...any)) {
		for _, a := range p.Entries {
			row(a.Time, a.Actor, a.Action, a.TargetID, a.OrgID, a.Outcome)
		}
	})
}

// setLimitCommand is "apikey set-limit" and "org set-limit": an operator's
// rate-limit override, 0 restoring the default.
func setLimitCommand(e *env, what, flag string, set func(b backend, c *ucli.Context, id string, n int) (app.RateLimitSetting, error)) *ucli.Command {
	return &ucli.Command{Name: "set-limit", Usage: "set the REST API rate limit of " + what + " (0: the default)", ArgsUsage: "ID",
		Flags: []ucli.Flag{&ucli.IntFlag{Name: flag, Required: true, Usage: "requests per " + strings.TrimPrefix(flag, "per-")}},
		Action: withBackend(e, func(c *ucli.Context, b backend) error {
			id, err := oneArg(c, what)
			if err != nil {
				return err
			}
			if n := c.Int(flag); n < 0 || n > app.MaxRateLimit {
				return usageError{fmt.Sprintf("--%s: give 1 to %d requests, or 0 for the default", flag, app.MaxRateLimit)}
			}
			out, err := set(b, c, id, c.Int(flag))
			if err != nil {
				return err
			}
			if globalBool(c, "json") {
				return printJSON(e.stdout, out)
			}
			if out.Limit == 0 {
				fmt.Fprintf(e.stdout, "%s %s: back to the default of %d requests per %s.\n", what, id, out.DefaultLimit, out.Window)
			} else {
				fmt.Fprintf(e.stdout, "%s %s: %d requests per %s (default %d).\n", what, id, out.Limit, out.Window, out.DefaultLimit)
			}
			return nil
		})}
}
