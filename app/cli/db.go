package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
)

func dbCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "db",
		Usage: "move the database between engines",
		Subcommands: []*ucli.Command{{
			Name:  "copy",
			Usage: "copy an SQLite database (live or not) into an empty PostgreSQL database, verified row by row",
			Flags: []ucli.Flag{
				&ucli.StringFlag{Name: "from", Usage: "the SQLite database file", Required: true},
				&ucli.StringFlag{Name: "to", Usage: "the empty PostgreSQL database: postgres://…", Required: true},
			},
			Action: e.dbCopy,
		}},
	}
}

func (e *env) dbCopy(c *ucli.Context) error {
	tables, err := app.CopyDatabase(c.Context, c.String("from"), c.String("to"))
	if err != nil {
		return err
	}
	if globalBool(c, "json") {
		return printJSON(e.stdout, map[string]any{"tables": tables, "verified": true})
	}
	total := 0
	for _, t := range tables {
		fmt.Fprintf(e.stdout, "%-24s %7d rows\n", t.Table, t.Rows)
		total += t.Rows
	}
	fmt.Fprintf(e.stdout, "Copied %d rows in %d tables and verified them row by row.\nPoint --db (or OPTARE_DB) of every replica at the PostgreSQL URL to use it.\n", total, len(tables))
	return nil
}
