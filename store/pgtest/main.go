package pgtest

import (
	"fmt"
	"testing"
)

// postgres is true while Main runs the package's tests on PostgreSQL.
var postgres bool

// Postgres reports whether the tests are running on PostgreSQL: the
// helpers that open databases (apptest.New, the store's openTemp) ask it.
func Postgres() bool { return postgres }

// Engine names the engine the tests are running on.
func Engine() string {
	if postgres {
		return "postgres"
	}
	return "sqlite"
}

var atEnd []func()

// AtEnd runs f after the PostgreSQL run (dropping a template database).
func AtEnd(f func()) { atEnd = append(atEnd, f) }

// Cleanup runs what AtEnd registered (Main does it itself; a package
// whose TestMain only calls m.Run calls it after).
func Cleanup() {
	for _, f := range atEnd {
		f()
	}
	atEnd = nil
}

// BeforePostgres, when set, runs before the PostgreSQL pass (apptest sets
// the encryption key the CLI reads from the environment).
var BeforePostgres func()

// Main is a test package's TestMain body: it runs every test of the
// package on SQLite, then again on PostgreSQL — the table of engines lives
// here, so a test added later runs on both without saying so. Use it as
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	if why := Missing(); why != "" {
		fmt.Println("pgtest:", why)
		if Required() {
			fmt.Println("pgtest: CI=true requires PostgreSQL: failing")
			return 1
		}
		return code
	}
	fmt.Println("=== pgtest: the same tests on PostgreSQL")
	if BeforePostgres != nil {
		BeforePostgres()
	}
	postgres = true
	pgCode := m.Run()
	postgres = false
	Cleanup()
	if pgCode != 0 {
		fmt.Println("pgtest: FAIL on PostgreSQL")
		return pgCode
	}
	return code
}
