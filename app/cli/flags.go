package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// normalizeArgs rewrites the command line into what urfave/cli v2 parses:
// several values after one list flag become repeated flags, as the guide
// writes them (--features "Feature 1" "Feature 2", --redirect-uri a b), and
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
			for isListFlag(flags, name) && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
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

// isListFlag reports whether name is a string-slice flag: one that takes
// several values.
func isListFlag(flags []ucli.Flag, name string) bool {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				_, ok := f.(*ucli.StringSliceFlag)
				return ok
			}
		}
	}
	return false
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
