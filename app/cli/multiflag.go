package cli

import "strings"

// argSpec describes the flags of the commands whose arguments are
// rewritten before urfave/cli parses them.
type argSpec struct {
	// multi flags take several values after one flag ("--redirect-uri a b").
	multi map[string]bool
	// bools take no value.
	bools map[string]bool
}

// expandArgs rewrites the arguments after a command path (for example
// "client create") so that urfave/cli understands them as users type them:
//
//   - a multi-value flag followed by several values becomes the flag
//     repeated ("--scope a b" → "--scope a --scope b"), so both spellings
//     of SPEC §9 work;
//   - flags come before positional arguments ("client get ID --json" →
//     "client get --json ID"), since the flag parser stops at the first
//     positional argument.
//
// Arguments outside the named command paths, and everything after "--",
// are left alone.
func expandArgs(args []string, paths map[string]argSpec) []string {
	cmdEnd, spec, ok := findPath(args, paths)
	if !ok {
		return args
	}
	out := append([]string{}, args[:cmdEnd]...)
	var positional []string
	rest := args[cmdEnd:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			positional = append(positional, rest[i:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if hasValue || spec.bools[name] || globalBools[name] {
			out = append(out, a)
			continue
		}
		if i+1 >= len(rest) {
			out = append(out, a)
			break
		}
		out = append(out, a, rest[i+1])
		i++
		for spec.multi[name] && i+1 < len(rest) && !strings.HasPrefix(rest[i+1], "-") {
			out = append(out, a, rest[i+1])
			i++
		}
	}
	return append(out, positional...)
}

// globalBools are the boolean flags every command accepts.
var globalBools = map[string]bool{"json": true, "help": true, "h": true}

// findPath finds a command path such as "client create" among the leading
// positional arguments (global flags may come first) and returns the index
// after it.
func findPath(args []string, paths map[string]argSpec) (int, argSpec, bool) {
	var words []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if !hasValue && !globalBools[name] {
				i++ // a global flag's value, such as --db PATH
			}
			continue
		}
		words = append(words, a)
		if spec, ok := paths[strings.Join(words, " ")]; ok {
			return i + 1, spec, true
		}
		if len(words) == 2 {
			return 0, argSpec{}, false
		}
	}
	return 0, argSpec{}, false
}
