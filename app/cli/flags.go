package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
	"optare/store"
)

// lineageString is a common flag's value wherever on the command line it
// was given ("optare --db X product list" and "optare product list --db X"):
// urfave/cli would otherwise read the innermost command's default.
func lineageString(c *ucli.Context, name string) string {
	for _, cc := range c.Lineage() {
		if cc.IsSet(name) {
			return cc.String(name)
		}
	}
	return c.String(name)
}

// lineageBool is lineageString for a boolean flag.
func lineageBool(c *ucli.Context, name string) bool {
	for _, cc := range c.Lineage() {
		if cc.IsSet(name) && cc.Bool(name) {
			return true
		}
	}
	return false
}

// openServiceAt opens the database at path and builds the service.
func openServiceAt(c *ucli.Context, path string) (*app.Service, func(), error) {
	db, err := store.Open(c.Context, path, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	svc, err := app.New(db, app.Options{Logger: discardLogger()})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return svc, func() { db.Close() }, nil
}

// multiValueFlags take several values after one flag, as the guide writes
// them: --features "Feature 1" "Feature 2".
var multiValueFlags = map[string]bool{"features": true}

// normalizeArgs rewrites the command line into what urfave/cli v2 parses:
// several values after one multi-value flag become repeated flags, and
// positional arguments given before flags ("subscription update ID
// --seats 5") move after them, since v2 stops reading flags at the first
// positional argument.
func normalizeArgs(a *ucli.App, args []string) []string {
	if len(args) == 0 {
		return args
	}
	out := []string{args[0]}
	flags, cmds := a.Flags, a.Commands
	leaf := false
	var positional []string
	for i := 1; i < len(args); i++ {
		tok := args[i]
		switch {
		case tok == "--":
			positional = append(positional, args[i:]...)
			i = len(args)
		case strings.HasPrefix(tok, "-") && len(tok) > 1:
			name, _, hasValue := strings.Cut(strings.TrimLeft(tok, "-"), "=")
			out = append(out, tok)
			if hasValue || isBoolFlag(flags, name) || i+1 >= len(args) {
				continue
			}
			i++
			out = append(out, args[i])
			for multiValueFlags[name] && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				i++
				out = append(out, tok, args[i])
			}
		case !leaf:
			out = append(out, tok)
			if c := findCommand(cmds, tok); c != nil {
				flags, cmds = c.Flags, c.Subcommands
				leaf = len(c.Subcommands) == 0
			} else {
				leaf = true // unknown: let urfave/cli report it
			}
		default:
			positional = append(positional, tok)
		}
	}
	return append(out, positional...)
}

func findCommand(cmds []*ucli.Command, name string) *ucli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

func isBoolFlag(flags []ucli.Flag, name string) bool {
	if name == "help" || name == "h" {
		return true
	}
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				_, ok := f.(*ucli.BoolFlag)
				return ok
			}
		}
	}
	return false
}
