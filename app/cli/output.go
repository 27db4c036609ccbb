package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
)

// withBackend adapts a command body that needs a backend: it opens the
// local database or the API client and closes it afterwards.
func withBackend(e *env, fn func(c *ucli.Context, b backend) error) ucli.ActionFunc {
	return func(c *ucli.Context) error {
		b, closeFn, err := openBackend(c, e)
		if err != nil {
			return err
		}
		defer closeFn()
		return fn(c, b)
	}
}

// show prints v as the REST API's JSON with --json, else as a table.
func (e *env) show(c *ucli.Context, v any, header string, rows func(row func(cells ...any))) error {
	if globalBool(c, "json") {
		return printJSON(e.stdout, v)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	rows(func(cells ...any) {
		s := make([]string, len(cells))
		for i, c := range cells {
			s[i] = cell(c)
		}
		fmt.Fprintln(tw, strings.Join(s, "\t"))
	})
	return tw.Flush()
}

func cell(v any) string {
	switch x := v.(type) {
	case *time.Time:
		if x == nil {
			return "-"
		}
		return x.UTC().Format(time.RFC3339)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case []string:
		return strings.Join(x, ", ")
	case string:
		if x == "" {
			return "-"
		}
		return x
	}
	return fmt.Sprint(v)
}

// oneArg is the single positional argument a command takes.
func oneArg(c *ucli.Context, what string) (string, error) {
	if c.NArg() != 1 {
		return "", usageError{fmt.Sprintf("%s takes exactly one argument: %s", c.Command.FullName(), what)}
	}
	return c.Args().First(), nil
}

func productRows(ps ...app.Product) func(func(...any)) {
	return func(row func(...any)) {
		for _, p := range ps {
			row(p.ID, p.Slug, p.Name, p.Features, p.Archived)
		}
	}
}

const productHeader = "ID\tSLUG\tNAME\tFEATURES\tARCHIVED"

func subscriptionRows(ss ...app.Subscription) func(func(...any)) {
	return func(row func(...any)) {
		for _, s := range ss {
			row(s.ID, s.OrganizationID, s.ProductID, fmt.Sprintf("%d/%d", s.SeatsUsed, s.TotalSeats),
				s.PricePerSeat.String()+" "+s.Currency, s.BillingCycle, s.Status, s.EndDate)
		}
	}
}

const subscriptionHeader = "ID\tORGANIZATION\tPRODUCT\tSEATS\tPRICE/SEAT\tCYCLE\tSTATUS\tEND"

func orgRows(os ...app.Organization) func(func(...any)) {
	return func(row func(...any)) {
		for _, o := range os {
			row(o.ID, o.Slug, o.Name, o.IsOperator)
		}
	}
}

const orgHeader = "ID\tSLUG\tNAME\tOPERATOR"

func userRows(us ...app.User) func(func(...any)) {
	return func(row func(...any)) {
		for _, u := range us {
			row(u.ID, u.Email, u.Name, u.OrganizationID, u.Disabled)
		}
	}
}

const userHeader = "ID\tEMAIL\tNAME\tORGANIZATION\tDISABLED"

func apiKeyRows(ks ...app.APIKey) func(func(...any)) {
	return func(row func(...any)) {
		for _, k := range ks {
			row(k.ID, k.Name, k.OrganizationID, k.Environment, k.ExpiresAt, k.LastUsedAt, k.RevokedAt)
		}
	}
}

const apiKeyHeader = "ID\tNAME\tORGANIZATION\tENV\tEXPIRES\tLAST USED\tREVOKED"

// printNext tells a table reader how to get the next page.
func printNext(w io.Writer, c *ucli.Context, next app.Cursor) {
	if next != "" && !globalBool(c, "json") {
		fmt.Fprintf(w, "More: add --cursor %s\n", next)
	}
}
