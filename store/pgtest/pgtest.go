// Package pgtest gives tests PostgreSQL databases of their own: the server
// is named by OPTARE_TEST_POSTGRES; each test gets a fresh database cloned
// from a migrated template (CREATE DATABASE … TEMPLATE), dropped when the
// test ends. Without the variable the PostgreSQL runs are skipped with a
// line saying so, except under CI=true, where that is a failure.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// EnvVar names the server for the PostgreSQL runs of the tests.
const EnvVar = "OPTARE_TEST_POSTGRES"

// URL is the server's URL, or "" when PostgreSQL tests are not configured.
func URL() string { return os.Getenv(EnvVar) }

// Missing explains why PostgreSQL runs cannot happen, or is "" when they
// can. Under CI=true the caller must fail instead of skipping.
func Missing() string {
	if URL() != "" {
		return ""
	}
	return EnvVar + " is not set: PostgreSQL runs skipped (see .ci/postgres to start a server)"
}

// Required reports whether a missing server is a failure (CI=true).
func Required() bool { return os.Getenv("CI") == "true" }

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// adminDB is a small pool on the server's own database, for CREATE and
// DROP DATABASE.
func adminDB() (*sql.DB, error) {
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", URL())
		if adminErr == nil {
			admin.SetMaxOpenConns(2)
			adminErr = admin.Ping()
		}
	})
	return admin, adminErr
}

// withDatabase is the server's URL pointing at database name.
func withDatabase(name string) (string, error) {
	u, err := url.Parse(URL())
	if err != nil {
		return "", fmt.Errorf("%s: %w", EnvVar, err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Template makes a new database, lets migrate fill it (given its URL) and
// returns its name, to clone with Clone. Drop it with Drop when done.
func Template(migrate func(url string) error) (string, error) {
	db, err := adminDB()
	if err != nil {
		return "", fmt.Errorf("connect to %s: %w", EnvVar, err)
	}
	name := randomName("optare_tpl_")
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		return "", fmt.Errorf("create template database: %w", err)
	}
	u, err := withDatabase(name)
	if err != nil {
		return "", err
	}
	if err := migrate(u); err != nil {
		Drop(name)
		return "", err
	}
	return name, nil
}

// Clone creates a fresh copy of template for t, dropped when t ends, and
// returns its URL.
func Clone(t testing.TB, template string) string {
	t.Helper()
	u, err := CloneDatabase(template)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := Drop(strings.TrimPrefix(mustPath(u), "/")); err != nil {
			t.Logf("drop test database: %v", err)
		}
	})
	return u
}

// CloneDatabase creates a fresh copy of template and returns its URL; the
// caller drops it.
func CloneDatabase(template string) (string, error) {
	db, err := adminDB()
	if err != nil {
		return "", fmt.Errorf("connect to %s: %w", EnvVar, err)
	}
	name := randomName("optare_t_")
	if _, err := db.Exec("CREATE DATABASE " + name + " TEMPLATE " + template); err != nil {
		return "", fmt.Errorf("create test database: %w", err)
	}
	return withDatabase(name)
}

// Empty creates an empty database for t (dropped when t ends) and returns
// its URL.
func Empty(t testing.TB) string {
	t.Helper()
	u, name, err := CreateEmpty()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := Drop(name); err != nil {
			t.Logf("drop test database: %v", err)
		}
	})
	return u
}

// CreateEmpty creates an empty database on the server and returns its URL
// and name; the caller drops it (the load generator uses it too).
func CreateEmpty() (dbURL, name string, err error) {
	db, err := adminDB()
	if err != nil {
		return "", "", fmt.Errorf("connect to %s: %w", EnvVar, err)
	}
	name = randomName("optare_t_")
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		return "", "", fmt.Errorf("create database: %w", err)
	}
	dbURL, err = withDatabase(name)
	return dbURL, name, err
}

// Drop removes database name, ending any session still connected to it.
func Drop(name string) error {
	db, err := adminDB()
	if err != nil {
		return err
	}
	_, err = db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	return err
}

func mustPath(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Path
}
