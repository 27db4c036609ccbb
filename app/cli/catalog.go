package cli

import (
	ucli "github.com/urfave/cli/v2"
	"time"

	"optare/app"
)

func pageFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.IntFlag{Name: "limit", Usage: "entries per page (at most 200)", Action: func(_ *ucli.Context, n int) error {
			if n < 1 {
				return usageError{"--limit: use a whole number of at least 1"} // as the API answers
			}
			return nil
		}},
		&ucli.StringFlag{Name: "cursor", Usage: "the next_cursor of the previous page"},
	}
}

func productCommand(e *env) *ucli.Command {
	fields := func(required bool) []ucli.Flag {
		return []ucli.Flag{
			&ucli.StringFlag{Name: "name", Usage: "product name", Required: required},
			&ucli.StringFlag{Name: "description", Usage: "what the product is"},
			&ucli.StringSliceFlag{Name: "features", Usage: `features: --features "F 1" "F 2" or repeated`},
			&ucli.StringFlag{Name: "documentation-url", Usage: "link to the product's documentation"},
			&ucli.DurationFlag{Name: "license-check-in", Usage: "licence token lifetime before the app must check in, e.g. 168h (default 7 days)"},
			&ucli.DurationFlag{Name: "license-grace", Usage: "how long after that an offline app keeps working, e.g. 72h (default 3 days)"},
		}
	}
	return &ucli.Command{Name: "product", Usage: "manage the product catalogue", Subcommands: []*ucli.Command{
		{Name: "create", Usage: "add a product", Flags: append(fields(true), &ucli.StringFlag{Name: "slug", Usage: "unique [a-z0-9-], 2-64 characters", Required: true}),
			Action: withBackend(e, e.productCreate)},
		{Name: "list", Usage: "list products", Flags: append(pageFlags(), &ucli.BoolFlag{Name: "archived", Usage: "include archived products"}),
			Action: withBackend(e, e.productList)},
		{Name: "get", Usage: "show a product", ArgsUsage: "ID|SLUG", Action: withBackend(e, e.productGet)},
		{Name: "update", Usage: "change a product", ArgsUsage: "ID|SLUG", Flags: fields(false), Action: withBackend(e, e.productUpdate)},
		{Name: "archive", Usage: "take a product out of the catalogue (its subscriptions stay readable)", ArgsUsage: "ID|SLUG",
			Action: withBackend(e, e.productArchive)},
	}}
}

func (e *env) productCreate(c *ucli.Context, b backend) error {
	p, err := b.CreateProduct(c.Context, app.ProductInput{Name: c.String("name"), Slug: c.String("slug"),
		Description: c.String("description"), Features: c.StringSlice("features"), DocumentationURL: c.String("documentation-url"),
		LicenseCheckIn: seconds(c, "license-check-in"), LicenseGrace: seconds(c, "license-grace")})
	if err != nil {
		return err
	}
	return e.show(c, p, productHeader, productRows(p))
}

func (e *env) productList(c *ucli.Context, b backend) error {
	p, err := b.ListProducts(c.Context, app.ProductQuery{IncludeArchived: c.Bool("archived"), Limit: c.Int("limit"), Cursor: c.String("cursor")})
	if err != nil {
		return err
	}
	defer printNext(e.stdout, c, p.NextCursor)
	return e.show(c, p, productHeader, productRows(p.Products...))
}

func (e *env) productGet(c *ucli.Context, b backend) error {
	ref, err := oneArg(c, "the product's id or slug")
	if err != nil {
		return err
	}
	p, err := b.Product(c.Context, ref)
	if err != nil {
		return err
	}
	return e.show(c, p, productHeader, productRows(p))
}

func (e *env) productUpdate(c *ucli.Context, b backend) error {
	ref, err := oneArg(c, "the product's id or slug")
	if err != nil {
		return err
	}
	var patch app.ProductPatch
	patch.Name, patch.Description, patch.DocumentationURL = optString(c, "name"), optString(c, "description"), optString(c, "documentation-url")
	if c.IsSet("features") {
		f := c.StringSlice("features")
		patch.Features = &f
	}
	if c.IsSet("license-check-in") {
		v := seconds(c, "license-check-in")
		patch.LicenseCheckIn = &v
	}
	if c.IsSet("license-grace") {
		v := seconds(c, "license-grace")
		patch.LicenseGrace = &v
	}
	p, err := b.UpdateProduct(c.Context, ref, patch)
	if err != nil {
		return err
	}
	return e.show(c, p, productHeader, productRows(p))
}

func (e *env) productArchive(c *ucli.Context, b backend) error {
	ref, err := oneArg(c, "the product's id or slug")
	if err != nil {
		return err
	}
	archived := true
	p, err := b.UpdateProduct(c.Context, ref, app.ProductPatch{Archived: &archived})
	if err != nil {
		return err
	}
	return e.show(c, p, productHeader, productRows(p))
}

// optString is a flag's value when it was given, else nil (a patch leaves
// the field alone).
// seconds reads a duration flag as whole seconds, as the API takes it.
func seconds(c *ucli.Context, name string) int {
	return int(c.Duration(name) / time.Second)
}

func optString(c *ucli.Context, name string) *string {
	if !c.IsSet(name) {
		return nil
	}
	v := c.String(name)
	return &v
}
