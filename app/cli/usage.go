package cli

import (
	"context"
	"strconv"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
)

func usageCommand(e *env) *ucli.Command {
	return &ucli.Command{Name: "usage", Usage: "show usage counts by hour or day (the same numbers as GET /api/v1/usage)",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "metric", Value: app.UsageRequests, Usage: "requests, oauth_failures, sign_ins, rate_limited, key_requests, key_license_checks, license_checks or seats_used"},
			&ucli.StringFlag{Name: "period", Value: "24h", Usage: "24h (hourly), 7d, 30d or 90d (daily)"},
			&ucli.StringFlag{Name: "org", Aliases: []string{"organization"}, Usage: "organization id"},
			&ucli.StringFlag{Name: "key", Usage: "API key id"},
			&ucli.StringFlag{Name: "product", Usage: "product id"},
		},
		Action: withBackend(e, e.usage),
	}
}

func (e *env) usage(c *ucli.Context, b backend) error {
	rep, err := b.Usage(c.Context, app.UsageQuery{Metric: c.String("metric"), Period: c.String("period"),
		OrganizationID: c.String("org"), APIKeyID: c.String("key"), ProductID: c.String("product")})
	if err != nil {
		return err
	}
	return e.show(c, rep, "TIME\tLABEL\tCOUNT", func(row func(...any)) {
		for _, p := range rep.Points {
			for _, l := range rep.Labels {
				if n := p.Counts[l]; n > 0 {
					row(p.Time, l, strconv.FormatInt(n, 10))
				}
			}
		}
		row("total", "", strconv.FormatInt(rep.Total, 10))
	})
}

func (l local) Usage(ctx context.Context, q app.UsageQuery) (app.UsageReport, error) {
	return l.svc.Usage(ctx, l.a, q)
}

func (c *client) Usage(ctx context.Context, q app.UsageQuery) (out app.UsageReport, err error) {
	return out, c.do(ctx, "GET", "/usage"+query("metric", q.Metric, "period", q.Period, "organization_id", q.OrganizationID,
		"api_key_id", q.APIKeyID, "product_id", q.ProductID), nil, &out)
}
