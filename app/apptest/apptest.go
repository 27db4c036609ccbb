// Package apptest builds a real service on a real SQLite file for tests:
// one migrated template per test binary, copied per test, with a clock the
// test controls.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"optare/app"
	"optare/store"
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
	Path  string
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
