package cli

import (
	ucli "github.com/urfave/cli/v2"

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
		}
	}
	return &ucli.Command{Name: "product", Usage: "manage the product catalogue", Subcommands: []*ucli.Command{
		{Name: "create", Usage: "add a product", Flags: append(fields(true), &ucli.StringFlag{Name: "slug", Usage: "unique [a-z0-9-], 2-64 characters", Required: true}),
			Action: withBackend(e, func(c *ucli.Context, b backend) error {
				p, err := b.CreateProduct(c.Context, app.ProductInput{Name: c.String("name"), Slug: c.String("slug"),
					Description: c.String("description"), Features: c.StringSlice("features"), DocumentationURL: c.String("documentation-url")})
				if err != nil {
					return err
				}
				return e.show(c, p, productHeader, productRows(p))
			})},
		{Name: "list", Usage: "list products", Flags: append(pageFlags(), &ucli.BoolFlag{Name: "archived", Usage: "include archived products"}),
			Action: withBackend(e, func(c *ucli.Context, b backend) error {
				p, err := b.ListProducts(c.Context, app.ProductQuery{IncludeArchived: c.Bool("archived"), Limit: c.Int("limit"), Cursor: c.String("cursor")})
				if err != nil {
					return err
				}
				defer printNext(e.stdout, c, p.NextCursor)
				return e.show(c, p, productHeader, productRows(p.Products...))
			})},
		{Name: "get", Usage: "show a product", ArgsUsage: "ID|SLUG", Action: withBackend(e, func(c *ucli.Context, b backend) error {
			ref, err := oneArg(c, "the product's id or slug")
			if err != nil {
				return err
			}
			p, err := b.Product(c.Context, ref)
			if err != nil {
				return err
			}
			return e.show(c, p, productHeader, productRows(p))
		})},
		{Name: "update", Usage: "change a product", ArgsUsage: "ID|SLUG", Flags: fields(false), Action: withBackend(e, func(c *ucli.Context, b backend) error {
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
			p, err := b.UpdateProduct(c.Context, ref, patch)
			if err != nil {
				return err
			}
			return e.show(c, p, productHeader, productRows(p))
		})},
		{Name: "archive", Usage: "take a product out of the catalogue (its subscriptions stay readable)", ArgsUsage: "ID|SLUG",
			Action: withBackend(e, func(c *ucli.Context, b backend) error {
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
			})},
	}}
}

// optString is a flag's value when it was given, else nil (a patch leaves
// the field alone).
func optString(c *ucli.Context, name string) *string {
	if !c.IsSet(name) {
		return nil
	}
	v := c.String(name)
	return &v
}
