package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
)

func (l local) CreateWebhook(ctx context.Context, in app.WebhookInput) (app.NewWebhookEndpoint, error) {
	return l.svc.CreateWebhookEndpoint(ctx, l.a, in)
}
func (l local) ListWebhooks(ctx context.Context, org string) (app.WebhookEndpointPage, error) {
	return l.svc.ListWebhookEndpoints(ctx, l.a, org, "", app.MaxLimit)
}
func (l local) UpdateWebhook(ctx context.Context, id string, p app.WebhookPatch) (app.WebhookEndpoint, error) {
	return l.svc.UpdateWebhookEndpoint(ctx, l.a, id, p)
}
func (l local) DeleteWebhook(ctx context.Context, id string) error {
	return l.svc.DeleteWebhookEndpoint(ctx, l.a, id)
}
func (l local) WebhookDeliveries(ctx context.Context, id string, limit int, cursor string) (app.WebhookDeliveryPage, error) {
	return l.svc.ListWebhookDeliveries(ctx, l.a, id, cursor, limit)
}
func (l local) TestWebhook(ctx context.Context, id string) (app.WebhookDelivery, error) {
	return l.svc.SendTestWebhook(ctx, l.a, id)
}
func (l local) ReplayWebhook(ctx context.Context, id, delivery string) (app.WebhookDelivery, error) {
	return l.svc.ReplayWebhookDelivery(ctx, l.a, id, delivery)
}

func (c *client) CreateWebhook(ctx context.Context, in app.WebhookInput) (out app.NewWebhookEndpoint, err error) {
	return out, c.do(ctx, "POST", "/webhooks", in, &out)
}
func (c *client) ListWebhooks(ctx context.Context, org string) (out app.WebhookEndpointPage, err error) {
	return out, c.do(ctx, "GET", "/webhooks"+query("organization_id", org, "limit", limitParam(app.MaxLimit)), nil, &out)
}
func (c *client) UpdateWebhook(ctx context.Context, id string, p app.WebhookPatch) (out app.WebhookEndpoint, err error) {
	return out, c.do(ctx, "PATCH", "/webhooks/"+esc(id), p, &out)
}
func (c *client) DeleteWebhook(ctx context.Context, id string) error {
	return c.do(ctx, "DELETE", "/webhooks/"+esc(id), nil, nil)
}
func (c *client) WebhookDeliveries(ctx context.Context, id string, limit int, cursor string) (out app.WebhookDeliveryPage, err error) {
	return out, c.do(ctx, "GET", "/webhooks/"+esc(id)+"/deliveries"+query("limit", limitParam(limit), "cursor", cursor), nil, &out)
}
func (c *client) TestWebhook(ctx context.Context, id string) (out app.WebhookDelivery, err error) {
	return out, c.do(ctx, "POST", "/webhooks/"+esc(id)+"/test", nil, &out)
}
func (c *client) ReplayWebhook(ctx context.Context, id, delivery string) (out app.WebhookDelivery, err error) {
	return out, c.do(ctx, "POST", "/webhooks/"+esc(id)+"/deliveries/"+esc(delivery)+"/replay", nil, &out)
}

const webhookHeader = "ID\tORGANIZATION\tURL\tEVENTS\tENABLED\tDESCRIPTION"

func webhookRows(es ...app.WebhookEndpoint) func(func(...any)) {
	return func(row func(...any)) {
		for _, e := range es {
			enabled := fmt.Sprint(e.Enabled)
			if !e.Enabled {
				enabled += " (" + e.DisabledReason + ")"
			}
			row(e.ID, e.OrganizationID, e.URL, strings.Join(e.Events, ","), enabled, e.Description)
		}
	}
}

func webhookCommand(e *env) *ucli.Command {
	endpointFlags := func(required bool) []ucli.Flag {
		return []ucli.Flag{
			&ucli.StringFlag{Name: "url", Usage: "where to POST the events (http or https)", Required: required},
			&ucli.StringSliceFlag{Name: "event", Usage: "event type, repeated: " + strings.Join(app.WebhookEventTypes, ", "), Required: required},
			&ucli.StringFlag{Name: "description", Usage: "what the endpoint is for"},
		}
	}
	return &ucli.Command{Name: "webhook", Usage: "manage webhook endpoints and their deliveries", Subcommands: []*ucli.Command{
		{Name: "create", Usage: "add an endpoint (prints its signing secret once)",
			Flags: append(endpointFlags(true), &ucli.StringFlag{Name: "org", Usage: "organization id or slug", Required: true},
				&ucli.BoolFlag{Name: "all-organizations", Usage: "take every organization's events (operator organization only)"}),
			Action: withBackend(e, e.webhookCreate)},
		{Name: "list", Usage: "list endpoints", Flags: []ucli.Flag{&ucli.StringFlag{Name: "org", Usage: "only this organization's"}},
			Action: withBackend(e, e.webhookList)},
		{Name: "update", Usage: "change an endpoint", ArgsUsage: "ID",
			Flags:  append(endpointFlags(false), &ucli.BoolFlag{Name: "enabled", Usage: "--enabled or --enabled=false"}),
			Action: withBackend(e, e.webhookUpdate)},
		{Name: "delete", Usage: "delete an endpoint and its delivery log", ArgsUsage: "ID",
			Action: withBackend(e, e.webhookDelete)},
		{Name: "deliveries", Usage: "the delivery log of an endpoint, newest first", ArgsUsage: "ID", Flags: pageFlags(),
			Action: withBackend(e, e.webhookDeliveries)},
		{Name: "test", Usage: "send a webhook.test event to an endpoint", ArgsUsage: "ID",
			Action: withBackend(e, e.webhookTest)},
		{Name: "replay", Usage: "send a delivery's event again", ArgsUsage: "ID DELIVERY_ID",
			Action: withBackend(e, e.webhookReplay)},
	}}
}

func (e *env) webhookCreate(c *ucli.Context, b backend) error {
	ep, err := b.CreateWebhook(c.Context, app.WebhookInput{OrganizationID: c.String("org"), URL: c.String("url"),
		Events: c.StringSlice("event"), Description: c.String("description"), AllOrganizations: c.Bool("all-organizations")})
	if err != nil {
		return err
	}
	if globalBool(c, "json") {
		return printJSON(e.stdout, ep)
	}
	fmt.Fprintf(e.stdout, "Webhook endpoint %s created for %s.\nSigning secret (shown only now): %s\n", ep.ID, ep.URL, ep.Secret)
	return nil
}

func (e *env) webhookList(c *ucli.Context, b backend) error {
	p, err := b.ListWebhooks(c.Context, c.String("org"))
	if err != nil {
		return err
	}
	return e.show(c, p, webhookHeader, webhookRows(p.Endpoints...))
}

func (e *env) webhookUpdate(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the endpoint's id")
	if err != nil {
		return err
	}
	var p app.WebhookPatch
	p.URL, p.Description = optString(c, "url"), optString(c, "description")
	if c.IsSet("event") {
		ev := c.StringSlice("event")
		p.Events = &ev
	}
	if c.IsSet("enabled") {
		v := c.Bool("enabled")
		p.Enabled = &v
	}
	ep, err := b.UpdateWebhook(c.Context, id, p)
	if err != nil {
		return err
	}
	return e.show(c, ep, webhookHeader, webhookRows(ep))
}

func (e *env) webhookDelete(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the endpoint's id")
	if err != nil {
		return err
	}
	if err := b.DeleteWebhook(c.Context, id); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Deleted %s.\n", id)
	return nil
}

func (e *env) webhookDeliveries(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the endpoint's id")
	if err != nil {
		return err
	}
	p, err := b.WebhookDeliveries(c.Context, id, c.Int("limit"), c.String("cursor"))
	if err != nil {
		return err
	}
	defer printNext(e.stdout, c, p.NextCursor)
	return e.show(c, p, deliveryHeader, deliveryRows(p.Deliveries...))
}

func (e *env) webhookTest(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the endpoint's id")
	if err != nil {
		return err
	}
	d, err := b.TestWebhook(c.Context, id)
	if err != nil {
		return err
	}
	return e.show(c, d, deliveryHeader, deliveryRows(d))
}

func (e *env) webhookReplay(c *ucli.Context, b backend) error {
	if c.NArg() != 2 {
		return usageError{"give the endpoint's id and the delivery's id"}
	}
	d, err := b.ReplayWebhook(c.Context, c.Args().Get(0), c.Args().Get(1))
	if err != nil {
		return err
	}
	return e.show(c, d, deliveryHeader, deliveryRows(d))
}

const deliveryHeader = "ID\tEVENT\tSTATUS\tATTEMPTS\tLAST CODE\tLAST LATENCY\tNEXT ATTEMPT"

func deliveryRows(ds ...app.WebhookDelivery) func(func(...any)) {
	return func(row func(...any)) {
		for _, d := range ds {
			code, latency, next := "", "", ""
			if n := len(d.Log); n > 0 {
				code, latency = fmt.Sprint(d.Log[n-1].ResponseCode), fmt.Sprintf("%d ms", d.Log[n-1].LatencyMS)
				if d.Log[n-1].Error != "" {
					code = d.Log[n-1].Error
				}
			}
			if d.NextAttemptAt != nil {
				next = d.NextAttemptAt.Format(time.RFC3339)
			}
			row(d.ID, d.EventType, d.Status, d.Attempts, code, latency, next)
		}
	}
}
