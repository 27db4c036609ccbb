// Package cli is the command line (urfave/cli) and the wiring: it opens the
// store, builds the service, and for "serve" mounts the web, API and OAuth
// doors on one mux. It is the only package that opens the database.
package cli
