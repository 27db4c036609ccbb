package app_test

import (
	"os"
	"testing"

	"optare/app/apptest"
)

// TestMain runs every test of the package on SQLite, then on PostgreSQL
// when OPTARE_TEST_POSTGRES names a server (apptest.Main).
func TestMain(m *testing.M) { os.Exit(apptest.Main(m)) }
