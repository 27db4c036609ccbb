package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
	"optare/store"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// env is what every command may use: the streams and the global flags.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// usageError marks an error in how the command was called (exit 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// commonFlags are accepted before and after the subcommand
// ("optare --json product list" and "optare product list --json").
func commonFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "db", Usage: "the SQLite database file, or a postgres:// URL to run on PostgreSQL", EnvVars: []string{"OPTARE_DB"}, Value: "optare.db"},
		&ucli.BoolFlag{Name: "json", Usage: "print machine-readable JSON (the REST API's shapes)"},
		&ucli.StringFlag{Name: "server", Usage: "URL of a running Optare: use its REST API with OPTARE_API_KEY/OPTARE_API_SECRET", EnvVars: []string{"OPTARE_SERVER"}},
	}
}

// Run is the whole program: it parses args, runs the command and returns the
// exit code. Tests call it directly.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	a := &ucli.App{
		Name:                 "optare",
		Usage:                "OpenID Connect provider and product/subscription/license service in one binary",
		Reader:               stdin,
		Writer:               stdout,
		ErrWriter:            stderr,
		Flags:                commonFlags(),
		HideHelpCommand:      true,
		Suggest:              true,
		ExitErrHandler:       func(*ucli.Context, error) {}, // Run reports errors itself
		OnUsageError:         func(_ *ucli.Context, err error, _ bool) error { return usageError{err.Error()} },
		EnableBashCompletion: false,
		// A comma inside a feature ("Posts, unlimited") is part of it.
		DisableSliceFlagSeparator: true,
		Commands: withCommonFlags([]*ucli.Command{
			serveCommand(e),
			setupCommand(e),
			backupCommand(e),
			dbCommand(e),
			productCommand(e),
			subscriptionCommand(e),
			seatCommand(e),
			orgCommand(e),
			userCommand(e),
			apiKeyCommand(e),
			auditCommand(e),
			usageCommand(e),
			clientCommand(e),
			keysCommand(e),
			licenseCommand(e),
			webhookCommand(e),
		}),
	}
	args = normalizeArgs(a, args)
	err := localOnly(args)
	if err == nil {
		err = a.RunContext(ctx, args)
	}
	if err == nil {
		return ExitOK
	}
	asJSON := slices.Contains(args, "--json") || slices.Contains(args, "--json=true")
	var ue usageError
	var xe exitError
	if errors.As(err, &xe) {
		return xe.code
	}
	if errors.As(err, &ue) || isUsage(err) {
		if asJSON {
			printJSONError(stderr, "usage", err.Error(), nil)
			return ExitUsage
		}
		fmt.Fprintf(stderr, "optare: %s\nRun 'optare --help' for usage.\n", err)
		return ExitUsage
	}
	if asJSON {
		printJSONErr(stderr, err)
		return ExitFailure
	}
	printError(stderr, err)
	return ExitFailure
}

// localCommands work on the database file itself, never through a server.
var localCommands = []string{"serve", "setup", "backup", "keys"}

// localOnly refuses --server with a command that only works on the local
// database file, instead of silently using ./optare.db. OPTARE_SERVER in
// the environment is refused too for keys and backup, whose output would
// otherwise describe a file the operator did not mean.
func localOnly(args []string) error {
	cmd := ""
	server := false
	for _, a := range args[1:] {
		if a == "--server" || strings.HasPrefix(a, "--server=") || a == "-server" || strings.HasPrefix(a, "-server=") {
			server = true
		} else if cmd == "" && !strings.HasPrefix(a, "-") && slices.Contains(localCommands, a) {
			cmd = a
		}
	}
	if cmd == "" {
		return nil
	}
	if !server && os.Getenv("OPTARE_SERVER") != "" && (cmd == "keys" || cmd == "backup") {
		return usageError{fmt.Sprintf("optare %s works on the local database file only: unset OPTARE_SERVER and give --db", cmd)}
	}
	if server {
		return usageError{fmt.Sprintf("optare %s works on the local database file only, not through --server: run it on the server's machine with --db", cmd)}
	}
	return nil
}

func withCommonFlags(cmds []*ucli.Command) []*ucli.Command {
	for _, c := range cmds {
		c.Flags = append(c.Flags, commonFlags()...)
		c.OnUsageError = func(_ *ucli.Context, err error, _ bool) error { return usageError{err.Error()} }
		c.Subcommands = withCommonFlags(c.Subcommands)
	}
	return cmds
}

// isUsage recognises urfave/cli's own complaints (missing required flags,
// unknown commands), which it does not type.
func isUsage(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "Required flag") || strings.HasPrefix(msg, "No help topic") ||
		strings.Contains(msg, "flag provided but not defined")
}

// flagOf names the command-line flag of an API field, so a validation error
// points at what the user typed (--cycle, not billing_cycle).
var flagOf = map[string]string{
	"billing_cycle": "--cycle", "total_seats": "--seats", "price_per_seat": "--price", "organization_id": "--organization",
	"product_id": "--product", "end_date": "--end-date", "status": "--status", "auto_assign": "--auto-assign",
	"name": "--name", "slug": "--slug", "email": "--email", "password": "--password", "role": "--role",
	"features": "--features", "description": "--description", "documentation_url": "--documentation-url",
	"redirect_uris": "--redirect-uri", "allowed_origins": "--origin", "allowed_scopes": "--scope",
	"environment": "--env", "expires_at": "--expires", "limit": "--limit", "cursor": "--cursor", "user_id": "--user",
}

// printJSONError writes the REST API's error shape on stderr (--json).
func printJSONError(w io.Writer, code, msg string, fields map[string]string) {
	body := map[string]any{"error": code, "error_description": msg}
	if len(fields) > 0 {
		body["fields"] = fields
	}
	b, _ := json.Marshal(body)
	fmt.Fprintf(w, "%s\n", b)
}

// printJSONErr is printJSONError for any error of a command.
func printJSONErr(w io.Writer, err error) {
	var ae *app.Error
	if !errors.As(err, &ae) {
		printJSONError(w, "error", err.Error(), nil)
		return
	}
	code := ae.Code
	if code == "" {
		code = ae.Kind.String()
	}
	printJSONError(w, code, ae.Message, ae.Fields)
}

// printError writes a domain error as one line plus its field messages, and
// any other error as it is.
func printError(w io.Writer, err error) {
	var ae *app.Error
	if !errors.As(err, &ae) {
		fmt.Fprintf(w, "optare: %s\n", err)
		return
	}
	msg := ae.Message
	if ae.Kind == app.KindInternal && ae.Err != nil {
		msg = ae.Err.Error()
	}
	fmt.Fprintf(w, "optare: %s\n", msg)
	names := make([]string, 0, len(ae.Fields))
	for n := range ae.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		msg := ae.Fields[n]
		if flag, ok := flagOf[n]; ok {
			n, msg = flag, lowerFirst(strings.TrimSuffix(msg, "."))
		}
		fmt.Fprintf(w, "  %s: %s\n", n, msg)
	}
}

// openService opens the database named by --db and builds the service.
// OPTARE_WEBHOOKS_ALLOW_PRIVATE=true lets every command (not only serve)
// accept webhook URLs on private addresses.
func openService(c *ucli.Context, log *slog.Logger) (*app.Service, func(), error) {
	allow, _ := strconv.ParseBool(os.Getenv("OPTARE_WEBHOOKS_ALLOW_PRIVATE"))
	return openServiceWith(c, app.Options{Logger: log, WebhooksAllowPrivate: allow})
}

// openServiceWith is openService with the service's options.
func openServiceWith(c *ucli.Context, opt app.Options) (*app.Service, func(), error) {
	// Only serve and setup may start a database; any other command on a
	// missing file is a typo in --db, not a wish for an empty instance.
	path := globalString(c, "db")
	creates := false
	for _, l := range c.Lineage() {
		if l.Command != nil && (l.Command.Name == "serve" || l.Command.Name == "setup") {
			creates = true
		}
	}
	// (A PostgreSQL URL names a database its server keeps, not a file.)
	if _, err := os.Stat(path); !creates && !store.IsPostgresURL(path) && errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("no Optare database at %s; run `optare serve` or `optare setup` first", path)
	}
	opts := store.Options{UseKeyFile: true}
	if v := os.Getenv("OPTARE_ENCRYPTION_KEY"); v != "" {
		key, err := store.ParseEncryptionKey(v)
		if err != nil {
			return nil, nil, fmt.Errorf("OPTARE_ENCRYPTION_KEY: %w", err)
		}
		opts.EncryptionKey = key
	}
	db, err := store.Open(c.Context, globalString(c, "db"), opts)
	if err != nil {
		return nil, nil, err
	}
	svc, err := app.New(db, opt)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return svc, func() { db.Close() }, nil
}

// printJSON writes v as indented JSON, timestamps in the REST API's one
// precision.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(app.JSONValue(v))
}

// readSecret takes a password from --password or from the first line of
// stdin with --password-stdin (so it stays out of shell history and ps).
func readSecret(c *ucli.Context, stdin io.Reader) (string, error) {
	if c.Bool("password-stdin") {
		if c.IsSet("password") {
			return "", usageError{"use --password or --password-stdin, not both"}
		}
		b, err := io.ReadAll(io.LimitReader(stdin, 4096))
		if err != nil {
			return "", fmt.Errorf("read password from stdin: %w", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimSuffix(line, "\r"), nil
	}
	if !c.IsSet("password") {
		return "", usageError{"give the password with --password-stdin (or --password)"}
	}
	return c.String("password"), nil
}

func passwordFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.BoolFlag{Name: "password-stdin", Usage: "read the password from the first line of standard input"},
		&ucli.StringFlag{Name: "password", Usage: "the password (visible to other users of this machine: prefer --password-stdin)"},
	}
}

// globalString reads a common flag wherever it was given: after the
// subcommand wins, then before it, then the environment or default.
func globalString(c *ucli.Context, name string) string {
	for _, cc := range c.Lineage() {
		if cc.IsSet(name) {
			return cc.String(name)
		}
	}
	return c.String(name)
}

// globalBool is globalString for boolean flags.
func globalBool(c *ucli.Context, name string) bool {
	for _, cc := range c.Lineage() {
		if cc.IsSet(name) && cc.Bool(name) {
			return true
		}
	}
	return false
}

// lowerFirst makes "Choose monthly or yearly" read "choose monthly or
// yearly" after a flag name.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
