// Package apptest builds a real service on a real database for tests: one
// migrated template per test binary, copied per test, with a clock the test
// controls. The database is an SQLite file, or a PostgreSQL database when
// the package runs its tests through Main on both engines.
package apptest

import (
	"context"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"optare/app"
	"optare/store"
	"optare/store/pgtest"
)

// EncryptionKey encrypts the signing keys of every test database, so tests
// run the production path (keys encrypted at rest).
var EncryptionKey = []byte("optare-test-key-32-bytes-long!!!")

// Password is the password of every account this package creates.
const Password = "correct-horse-battery"

// FastPassword keeps argon2id real but cheap, so tests that sign in often
// stay quick; production uses app.DefaultPasswordParams.
var FastPassword = app.PasswordParams{Memory: 1024, Time: 1, Threads: 1}

// Clock is a settable clock, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Option changes the service options of New.
type Option func(*app.Options)

// Env is one test's database and service.
type Env struct {
	Svc   *app.Service
	DB    *store.DB
	Clock *Clock
	// Path is what --db takes: the SQLite file, or the PostgreSQL URL.
	Path string
}

// Main is a test package's TestMain body: every test runs on SQLite, then
// on PostgreSQL when OPTARE_TEST_POSTGRES names a server, so a test added
// later runs on both engines without saying so:
//
//	func TestMain(m *testing.M) { os.Exit(apptest.Main(m)) }
func Main(m *testing.M) int {
	// A PostgreSQL database has no key file beside it: commands read the
	// key from the environment, as replicas do.
	pgtest.BeforePostgres = func() { os.Setenv("OPTARE_ENCRYPTION_KEY", hex.EncodeToString(EncryptionKey)) }
	return pgtest.Main(m)
}

// Postgres reports whether this run of the tests is on PostgreSQL.
func Postgres() bool { return pgtest.Postgres() }

// SQLiteOnly skips a test about the SQLite file itself (backups, file
// permissions) on the PostgreSQL run.
func SQLiteOnly(t testing.TB) {
	t.Helper()
	if pgtest.Postgres() {
		t.Skip("about the SQLite file: not run on PostgreSQL")
	}
}

var (
	pgTemplateOnce sync.Once
	pgTemplate     string
	pgTemplateErr  error
)

// pgDatabase is a fresh PostgreSQL database for t, cloned from a migrated
// template made once per test binary.
func pgDatabase(t testing.TB) string {
	t.Helper()
	pgTemplateOnce.Do(func() {
		pgTemplate, pgTemplateErr = pgtest.Template(func(url string) error {
			db, err := store.Open(context.Background(), url, store.Options{EncryptionKey: EncryptionKey})
			if err != nil {
				return err
			}
			return db.Close()
		})
		pgtest.AtEnd(func() { pgtest.Drop(pgTemplate) })
	})
	if pgTemplateErr != nil {
		t.Fatalf("template database: %v", pgTemplateErr)
	}
	return pgtest.Clone(t, pgTemplate)
}

var (
	templateOnce sync.Once
	templatePath string
	templateErr  error
)

func template() (string, error) {
	templateOnce.Do(func() {
		dir, err := os.MkdirTemp("", "optare-template-")
		if err != nil {
			templateErr = err
			return
		}
		templatePath = filepath.Join(dir, "template.db")
		db, err := store.Open(context.Background(), templatePath, store.Options{EncryptionKey: EncryptionKey})
		if err != nil {
			templateErr = err
			return
		}
		templateErr = db.Close()
	})
	return templatePath, templateErr
}

// New gives the test a migrated database of its own under t.TempDir() and a
// service on it, clock fixed at 2026-01-15 09:00 UTC.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	return newEnv(t, NewDatabase(t), opts...)
}

// NewPostgres is New on PostgreSQL whatever the run's engine: for the few
// tests (browser tests) that otherwise run on SQLite only. Without
// OPTARE_TEST_POSTGRES it skips, or fails under CI=true.
func NewPostgres(t testing.TB, opts ...Option) *Env {
	t.Helper()
	if why := pgtest.Missing(); why != "" {
		if pgtest.Required() {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	return newEnv(t, pgDatabase(t), opts...)
}

func newEnv(t testing.TB, path string, opts ...Option) *Env {
	t.Helper()
	clock := NewClock(time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(context.Background(), path, store.Options{Now: clock.Now, EncryptionKey: EncryptionKey})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	// Secrets at rest (authenticator apps) are sealed with the database's
	// key-encryption key, EncryptionKey, as in production.
	opt := app.Options{Now: clock.Now, Password: FastPassword,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(&opt)
	}
	svc, err := app.New(db, opt)
	if err != nil {
		t.Fatal(err)
	}
	return &Env{Svc: svc, DB: db, Clock: clock, Path: path}
}

// NewDatabase makes a migrated, empty database of this run's engine for t
// and returns what --db takes to open it.
func NewDatabase(t testing.TB) string {
	t.Helper()
	if pgtest.Postgres() {
		return pgDatabase(t)
	}
	src, err := template()
	if err != nil {
		t.Fatalf("template database: %v", err)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "optare.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Operator runs first-run setup and returns the operator owner's account
// (email owner@example.com).
func (e *Env) Operator(t testing.TB) app.Account {
	t.Helper()
	acc, err := e.Svc.Setup(context.Background(), app.CLI(), app.SetupInput{OrgName: "Operator Inc", Name: "Olive Owner",
		Email: "owner@example.com", Password: Password, PasswordConfirm: Password})
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	return acc
}

// Customer creates a customer organization with one user of the given role
// and returns the user's account.
func (e *Env) Customer(t testing.TB, slug, email, role string) app.Account {
	t.Helper()
	ctx := context.Background()
	org, err := e.Svc.OrganizationByRef(ctx, app.CLI(), slug)
	if err != nil {
		org, err = e.Svc.CreateOrganization(ctx, app.CLI(), app.OrganizationInput{Name: slug, Slug: slug})
		if err != nil {
			t.Fatalf("create organization: %v", err)
		}
	}
	u, err := e.Svc.CreateUser(ctx, app.CLI(), app.UserInput{Email: email, Name: "User " + email, OrgRef: org.ID, Role: role, Password: Password})
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	acc, err := e.Svc.AccountByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return acc
}
