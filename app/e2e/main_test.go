package e2e

import (
	"os"
	"testing"

	"optare/store/pgtest"
)

// TestMain runs the browser tests once, on SQLite (the one that also runs
// on PostgreSQL asks for it itself), then drops PostgreSQL's template.
func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Cleanup()
	os.Exit(code)
}
