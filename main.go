// Command optare is an OpenID Connect provider and product, subscription and
// license service in one binary. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"optare/app/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
