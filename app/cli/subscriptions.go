package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
)

func subscriptionFlags(create bool) []ucli.Flag {
	return []ucli.Flag{
		&ucli.IntFlag{Name: "seats", Usage: "total seats (at least 1)", Required: create},
		&ucli.StringFlag{Name: "price", Usage: "price per seat, at most two decimals (29.99)"},
		&ucli.StringFlag{Name: "currency", Usage: "ISO currency (default USD)"},
		&ucli.StringFlag{Name: "cycle", Usage: "billing cycle: monthly or yearly"},
		&ucli.StringFlag{Name: "status", Usage: "active, trial, cancelled or expired"},
		&ucli.StringFlag{Name: "end-date", Usage: "end date (2025-12-31) or RFC 3339 time; empty to clear on update"},
		&ucli.BoolFlag{Name: "auto-assign", Usage: "give seats automatically on first use (--auto-assign=false to turn off)"},
	}
}

func subscriptionCommand(e *env) *ucli.Command {
	return &ucli.Command{Name: "subscription", Usage: "manage organizations' subscriptions", Subcommands: []*ucli.Command{
		{Name: "create", Usage: "subscribe an organization to a product",
			Flags: append([]ucli.Flag{
				&ucli.StringFlag{Name: "organization", Aliases: []string{"org"}, Usage: "organization id or slug", Required: true},
				&ucli.StringFlag{Name: "product", Usage: "product slug or id", Required: true},
			}, subscriptionFlags(true)...),
			Action: withBackend(e, e.subscriptionCreate)},
		{Name: "list", Usage: "list subscriptions",
			Flags: append(pageFlags(), &ucli.StringFlag{Name: "organization", Aliases: []string{"org"}, Usage: "organization id or slug"},
				&ucli.StringFlag{Name: "product", Usage: "product slug or id"}, &ucli.StringFlag{Name: "status", Usage: "status as read now"}),
			Action: withBackend(e, e.subscriptionList)},
		{Name: "get", Usage: "show a subscription", ArgsUsage: "ID", Action: withBackend(e, e.subscriptionGet)},
		{Name: "update", Usage: "change seats, price, cycle, status or end date", ArgsUsage: "ID", Flags: subscriptionFlags(false),
			Action: withBackend(e, e.subscriptionUpdate)},
		{Name: "cancel", Usage: "cancel a subscription", ArgsUsage: "ID", Action: withBackend(e, e.subscriptionCancel)},
	}}
}

func (e *env) subscriptionCreate(c *ucli.Context, b backend) error {
	in := app.SubscriptionInput{OrganizationID: c.String("organization"), ProductID: c.String("product"),
		TotalSeats: c.Int("seats"), PricePerSeat: app.Decimal(c.String("price")), Currency: c.String("currency"),
		BillingCycle: c.String("cycle"), Status: c.String("status"), EndDate: c.String("end-date")}
	if c.IsSet("auto-assign") {
		v := c.Bool("auto-assign")
		in.AutoAssign = &v
	}
	s, err := b.CreateSubscription(c.Context, in)
	return e.showSubscription(c, s, err)
}

func (e *env) subscriptionList(c *ucli.Context, b backend) error {
	p, err := b.ListSubscriptions(c.Context, app.SubscriptionQuery{Organization: c.String("organization"), Product: c.String("product"),
		Status: c.String("status"), Limit: c.Int("limit"), Cursor: c.String("cursor")})
	if err != nil {
		return err
	}
	defer printNext(e.stdout, c, p.NextCursor)
	return e.show(c, p, subscriptionHeader, subscriptionRows(p.Subscriptions...))
}

func (e *env) subscriptionGet(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the subscription id")
	if err != nil {
		return err
	}
	s, err := b.Subscription(c.Context, id)
	return e.showSubscription(c, s, err)
}

func (e *env) subscriptionUpdate(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the subscription id")
	if err != nil {
		return err
	}
	s, err := b.UpdateSubscription(c.Context, id, subscriptionPatch(c))
	return e.showSubscription(c, s, err)
}

func (e *env) subscriptionCancel(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the subscription id")
	if err != nil {
		return err
	}
	status := app.StatusCancelled
	s, err := b.UpdateSubscription(c.Context, id, app.SubscriptionPatch{Status: &status})
	return e.showSubscription(c, s, err)
}

func subscriptionPatch(c *ucli.Context) app.SubscriptionPatch {
	var p app.SubscriptionPatch
	if c.IsSet("seats") {
		n := c.Int("seats")
		p.TotalSeats = &n
	}
	if c.IsSet("price") {
		d := app.Decimal(c.String("price"))
		p.PricePerSeat = &d
	}
	p.Currency, p.BillingCycle, p.Status, p.EndDate = optString(c, "currency"), optString(c, "cycle"), optString(c, "status"), optString(c, "end-date")
	if c.IsSet("auto-assign") {
		v := c.Bool("auto-assign")
		p.AutoAssign = &v
	}
	return p
}

func seatCommand(e *env) *ucli.Command {
	userFlag := []ucli.Flag{&ucli.StringFlag{Name: "user", Usage: "user id", Required: true}}
	return &ucli.Command{Name: "seat", Usage: "manage who holds a subscription's seats", Subcommands: []*ucli.Command{
		{Name: "list", Usage: "list seats", ArgsUsage: "SUBSCRIPTION", Action: withBackend(e, e.seatList)},
		{Name: "assign", Usage: "give a user a seat", ArgsUsage: "SUBSCRIPTION", Flags: userFlag, Action: withBackend(e, e.seatAssign)},
		{Name: "unassign", Usage: "take a user's seat back", ArgsUsage: "SUBSCRIPTION", Flags: userFlag, Action: withBackend(e, e.seatUnassign)},
	}}
}

func (e *env) seatList(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the subscription id")
	if err != nil {
		return err
	}
	p, err := b.ListSeats(c.Context, id)
	if err != nil {
		return err
	}
	return e.show(c, p, "USER\tEMAIL\tNAME\tASSIGNED", func(row func(...any)) {
		for _, s := range p.Seats {
			row(s.UserID, s.Email, s.Name, s.AssignedAt)
		}
	})
}

func (e *env) seatAssign(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the subscription id")
	if err != nil {
		return err
	}
	s, err := b.AssignSeat(c.Context, id, c.String("user"))
	if err != nil {
		return err
	}
	return e.show(c, s, "USER\tEMAIL\tASSIGNED", func(row func(...any)) { row(s.UserID, s.Email, s.AssignedAt) })
}

func (e *env) seatUnassign(c *ucli.Context, b backend) error {
	id, err := oneArg(c, "the subscription id")
	if err != nil {
		return err
	}
	if err := b.UnassignSeat(c.Context, id, c.String("user")); err != nil {
		return err
	}
	if globalBool(c, "json") {
		return printJSON(e.stdout, map[string]any{"subscription_id": id, "user_id": c.String("user"), "unassigned": true})
	}
	fmt.Fprintf(e.stdout, "Seat of %s in %s unassigned.\n", c.String("user"), id)
	return nil
}

// showSubscription prints the subscription a command returned, or its error.
func (e *env) showSubscription(c *ucli.Context, s app.Subscription, err error) error {
	if err != nil {
		return err
	}
	return e.show(c, s, subscriptionHeader, subscriptionRows(s))
}
