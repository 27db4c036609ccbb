package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
)

func setupCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "setup",
		Usage: "create the operator organization and its owner (first run, once)",
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "org-name", Usage: "name of the operator organization", Required: true},
			&ucli.StringFlag{Name: "email", Usage: "the owner's email", Required: true},
			&ucli.StringFlag{Name: "name", Usage: "the owner's name", Required: true},
		}, passwordFlags()...),
		Action: e.setup,
	}
}

func (e *env) setup(c *ucli.Context) error {
	password, err := readSecret(c, e.stdin)
	if err != nil {
		return err
	}
	svc, closeDB, err := openService(c, discardLogger())
	if err != nil {
		return err
	}
	defer closeDB()
	acc, err := svc.Setup(c.Context, app.CLI(), app.SetupInput{OrgName: c.String("org-name"), Name: c.String("name"),
		Email: c.String("email"), Password: password, PasswordConfirm: password})
	if err != nil {
		return err
	}
	if globalBool(c, "json") {
		return printJSON(e.stdout, map[string]any{"organization": acc.Org, "user": acc.User})
	}
	fmt.Fprintf(e.stdout, "Created operator organization %s (%s) and owner %s (%s).\n", acc.Org.Name, acc.Org.ID, acc.User.Email, acc.User.ID)
	return nil
}

func backupCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "backup",
		Usage:     "write a consistent copy of the database to FILE (safe while optare serve runs)",
		ArgsUsage: "FILE",
		Action:    e.backup,
	}
}

func (e *env) backup(c *ucli.Context) error {
	if c.NArg() != 1 {
		return usageError{"backup takes exactly one argument: the file to write"}
	}
	svc, closeDB, err := openService(c, discardLogger())
	if err != nil {
		return err
	}
	defer closeDB()
	if err := svc.Backup(c.Context, c.Args().First()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Backed up to %s.\n", c.Args().First())
	return nil
}
