package cli

import (
	"fmt"
	"io"
	"time"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
)

func keysCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "keys",
		Usage: "manage the token signing keys",
		Subcommands: []*ucli.Command{
			{
				Name: "rotate",
				Usage: fmt.Sprintf("publish a next key, or (once it has been published %s) make it sign and retire the active key",
					app.KeyPublishBeforeUse),
				Action: withService(e, e.keysRotate),
			},
			{
				Name:   "list",
				Usage:  "list the published signing keys",
				Action: withService(e, e.keysList),
			},
		},
	}
}

func (e *env) keysRotate(c *ucli.Context, svc *app.Service) error {
	res, err := svc.RotateKeys(c.Context, app.CLI())
	if err != nil {
		return err
	}
	if globalBool(c, "json") {
		return printJSON(e.stdout, res)
	}
	for _, k := range res.Published {
		fmt.Fprintf(e.stdout, "Published next %s key %s; it may sign from %s (run optare keys rotate again then).\n",
			k.Alg, k.ID, k.CreatedAt.Add(app.KeyPublishBeforeUse).Format(time.RFC3339))
	}
	for _, k := range res.Activated {
		fmt.Fprintf(e.stdout, "Activated %s key %s: it signs new tokens now.\n", k.Alg, k.ID)
	}
	for _, k := range res.Retired {
		fmt.Fprintf(e.stdout, "Retired %s key %s: published for verification until %s.\n", k.Alg, k.ID, k.PublishUntil.Format(time.RFC3339))
	}
	return nil
}

func (e *env) keysList(c *ucli.Context, svc *app.Service) error {
	keys, err := svc.ListKeys(c.Context, app.CLI())
	if err != nil {
		return err
	}
	if globalBool(c, "json") {
		return printJSON(e.stdout, map[string]any{"keys": keys})
	}
	printKeys(e.stdout, keys)
	return nil
}

func printKeys(w io.Writer, keys []app.SigningKey) {
	for _, k := range keys {
		note := "created " + k.CreatedAt.Format(time.RFC3339)
		if !k.PublishUntil.IsZero() {
			note = "published until " + k.PublishUntil.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s\t%s\t%-7s\t%s\n", k.ID, k.Alg, k.State, note)
	}
}

// withService opens the database for one command and closes it after.
func withService(e *env, fn func(*ucli.Context, *app.Service) error) ucli.ActionFunc {
	return func(c *ucli.Context) error {
		svc, closeDB, err := openService(c, discardLogger())
		if err != nil {
			return err
		}
		defer closeDB()
		return fn(c, svc)
	}
}
