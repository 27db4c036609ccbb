package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
	"optare/app/oidc"
)

// Exit codes of "optare license verify", one per verdict, so a script can
// tell "renew soon" (in grace) from "refuse" without parsing text.
var verdictExit = map[oidc.LicenseVerdict]int{
	oidc.LicenseValid:        ExitOK,
	oidc.LicenseInGrace:      3,
	oidc.LicenseExpired:      4,
	oidc.LicenseWrongProduct: 5,
	oidc.LicenseWrongMachine: 6,
	oidc.LicenseInvalid:      7,
	oidc.LicenseNotYetValid:  8,
}

// exitError ends the program with a chosen exit code after printing msg
// (to stdout: it is the command's answer, not a failure of the program).
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func licenseCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "license",
		Usage: "verify licence tokens offline; list and release machine activations",
		Subcommands: append([]*ucli.Command{
			{
				Name:      "verify",
				Usage:     "verify a licence token offline: exit 0 valid, 3 in grace, 4 expired, 5 wrong product, 6 wrong machine, 7 invalid, 8 not yet valid",
				ArgsUsage: "TOKEN",
				Flags: []ucli.Flag{
					&ucli.StringFlag{Name: "jwks", Usage: "the JWKS: a file, or an http(s) URL such as https://id.example.com/.well-known/jwks.json", Required: true},
					&ucli.StringFlag{Name: "product", Usage: "the product slug (or id) the token must be for", Required: true},
					&ucli.StringFlag{Name: "fingerprint", Usage: "this machine's fingerprint, when the token must be bound to it"},
				},
				Action: e.licenseVerify,
			},
		}, activationCommands(e)...),
	}
}

func (e *env) licenseVerify(c *ucli.Context) error {
	if c.NArg() != 1 {
		return usageError{"give exactly one TOKEN"}
	}
	jwks, err := readJWKS(c, c.String("jwks"))
	if err != nil {
		return err
	}
	verdict, claims, err := oidc.VerifyLicense(strings.TrimSpace(c.Args().First()), jwks, c.String("product"), c.String("fingerprint"), time.Now())
	if globalBool(c, "json") {
		out := map[string]any{"verdict": string(verdict), "valid": verdict == oidc.LicenseValid || verdict == oidc.LicenseInGrace}
		if err != nil {
			out["error"] = err.Error()
		} else {
			out["claims"] = claims
		}
		if perr := printJSON(e.stdout, out); perr != nil {
			return perr
		}
	} else {
		line := string(verdict)
		switch {
		case err != nil:
			line += ": " + err.Error()
		case verdict == oidc.LicenseValid || verdict == oidc.LicenseInGrace || verdict == oidc.LicenseExpired:
			exp := time.Unix(claims.Expiry, 0).UTC()
			line += fmt.Sprintf(" (%s for %s, expires %s, grace until %s)", claims.Product.Slug, claims.Subject,
				exp.Format(time.RFC3339), exp.Add(time.Duration(claims.Grace)*time.Second).Format(time.RFC3339))
		}
		fmt.Fprintln(e.stdout, line)
	}
	if code := verdictExit[verdict]; code != ExitOK {
		return exitError{code: code}
	}
	return nil
}

// readJWKS reads the key set from a file or fetches it from a URL.
func readJWKS(c *ucli.Context, from string) ([]byte, error) {
	if !strings.HasPrefix(from, "https://") && !strings.HasPrefix(from, "http://") {
		b, err := os.ReadFile(from)
		if err != nil {
			return nil, fmt.Errorf("read JWKS: %w", err)
		}
		return b, nil
	}
	req, err := http.NewRequestWithContext(c.Context, http.MethodGet, from, nil)
	if err != nil {
		return nil, fmt.Errorf("JWKS URL: %w", err)
	}
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch JWKS: %s answered %s", from, res.Status)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	return b, nil
}

func (l local) ListActivations(ctx context.Context, q app.ActivationQuery) (app.ActivationPage, error) {
	return l.svc.ListActivations(ctx, l.a, q)
}
func (l local) Deactivate(ctx context.Context, id string) error {
	return l.svc.Deactivate(ctx, l.a, id)
}

func (c *client) ListActivations(ctx context.Context, q app.ActivationQuery) (out app.ActivationPage, err error) {
	return out, c.do(ctx, "GET", "/licenses/activations"+query("subscription_id", q.SubscriptionID, "user_id", q.UserID,
		"limit", limitParam(q.Limit), "cursor", q.Cursor), nil, &out)
}
func (c *client) Deactivate(ctx context.Context, id string) error {
	return c.do(ctx, "DELETE", "/licenses/activations/"+esc(id), nil, nil)
}

func activationCommands(e *env) []*ucli.Command {
	return []*ucli.Command{
		{
			Name:  "activations",
			Usage: "list machine activations and their leases",
			Flags: append(pageFlags(), &ucli.StringFlag{Name: "subscription", Usage: "only this subscription's"},
				&ucli.StringFlag{Name: "user", Usage: "only this user's"}),
			Action: withBackend(e, e.activationList),
		},
		{
			Name:      "deactivate",
			Usage:     "release a machine's activation and its lease",
			ArgsUsage: "ID",
			Action:    withBackend(e, e.activationDeactivate),
		},
	}
}

func (e *env) activationList(c *ucli.Context, b backend) error {
	p, err := b.ListActivations(c.Context, app.ActivationQuery{SubscriptionID: c.String("subscription"), UserID: c.String("user"),
		Limit: c.Int("limit"), Cursor: c.String("cursor")})
	if err != nil {
		return err
	}
	defer printNext(e.stdout, c, p.NextCursor)
	return e.show(c, p, "ID\tSUBSCRIPTION\tUSER\tNAME\tLAST HEARTBEAT\tLEASE UNTIL\tLIVE", func(row func(...any)) {
		for _, a := range p.Activations {
			row(a.ID, a.SubscriptionID, a.Email, a.Name, a.LastHeartbeatAt.Format(time.RFC3339), a.LeaseExpiresAt.Format(time.RFC3339), a.Live)
		}
	})
}

func (e *env) activationDeactivate(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the activation's id")
	if err != nil {
		return err
	}
	if err := b.Deactivate(c.Context, id); err != nil {
		return err
	}
	if globalBool(c, "json") {
		return printJSON(e.stdout, map[string]string{"id": id, "status": "deactivated"})
	}
	fmt.Fprintf(e.stdout, "Deactivated %s.\n", id)
	return nil
}
