package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSchemaGolden compares the migrated schema with testdata/schema.sql, so
// a migration that changes more (or less) than intended shows up in review.
// Run with UPDATE_GOLDEN=1 to rewrite the file after a deliberate change.
func TestSchemaGolden(t *testing.T) {
	db := openTemp(t)
	rows, err := db.reader.Query("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		b.WriteString(s + ";\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "schema.sql")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if string(want) != b.String() {
		t.Errorf("migrated schema differs from %s; if the change is deliberate, rerun with UPDATE_GOLDEN=1", golden)
	}
}

func TestOpenRefusesNewerDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.writer.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 'x')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(context.Background(), path, Options{})
	if !errors.Is(err, ErrTooNew) {
		t.Fatalf("Open = %v, want ErrTooNew", err)
	}
	if !strings.Contains(err.Error(), "9999") {
		t.Errorf("message %q does not name the version", err)
	}
}

func TestOpenCorruptFileSaysSo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("this is not sqlite ", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path, Options{})
	if err == nil || !strings.Contains(err.Error(), "not an SQLite database") {
		t.Fatalf("Open = %v, want a clear 'not an SQLite database' error", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error spans several lines: %q", err)
	}
}

func TestOpenMissingFolder(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "nope", "t.db"), Options{})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("Open = %v, want an error naming the folder", err)
	}
}

func TestConflictAndReferenceErrors(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Now()
	org := Organization{ID: "org_1", Slug: "acme", Name: "Acme", CreatedAt: now, UpdatedAt: now}
	err := db.Write(ctx, func(tx *Tx) error { return tx.InsertOrganization(ctx, org) })
	if err != nil {
		t.Fatal(err)
	}
	org.ID = "org_2"
	err = db.Write(ctx, func(tx *Tx) error { return tx.InsertOrganization(ctx, org) })
	if !errors.Is(err, ErrConflict) || !IsConflictOn(err, "organizations.slug") {
		t.Fatalf("duplicate slug: %v, want ErrConflict on organizations.slug", err)
	}
	err = db.Write(ctx, func(tx *Tx) error {
		return tx.InsertUser(ctx, User{ID: "user_1", Email: "a@b.c", EmailKey: "a@b.c", PrimaryOrgID: "org_missing", CreatedAt: now, UpdatedAt: now})
	})
	if !errors.Is(err, ErrReference) {
		t.Fatalf("missing org: %v, want ErrReference", err)
	}
	err = db.Read(ctx, func(tx *Tx) error { _, err := tx.Organization(ctx, "org_missing"); return err })
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("read missing: %v, want ErrNotFound", err)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	err := db.Write(ctx, func(tx *Tx) error {
		return tx.InsertAudit(ctx, AuditEntry{ID: "aud_1", CreatedAt: tx.Now, ActorType: "cli", Action: "x.y", Outcome: "success"})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"UPDATE audit_log SET action = 'z'", "DELETE FROM audit_log"} {
		if _, err := db.writer.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refusal", q, err)
		}
	}
}

func TestWriteRollsBackOnError(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Write(ctx, func(tx *Tx) error {
		if err := tx.InsertOrganization(ctx, Organization{ID: "org_1", Slug: "acme", Name: "Acme", CreatedAt: tx.Now, UpdatedAt: tx.Now}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	err = db.Read(ctx, func(tx *Tx) error { _, err := tx.Organization(ctx, "acme"); return err })
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("half-written state survived: %v", err)
	}
}

func TestBackupIsAUsableCopy(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	err := db.Write(ctx, func(tx *Tx) error {
		return tx.InsertOrganization(ctx, Organization{ID: "org_1", Slug: "acme", Name: "Acme", CreatedAt: tx.Now, UpdatedAt: tx.Now})
	})
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, dst); err == nil {
		t.Error("second backup overwrote the first")
	}
	copyDB, err := Open(ctx, dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	err = copyDB.Read(ctx, func(tx *Tx) error { _, err := tx.Organization(ctx, "acme"); return err })
	if err != nil {
		t.Fatalf("backup lacks the row: %v", err)
	}
}

func TestReadersDoNotWrite(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	err := db.Read(ctx, func(tx *Tx) error {
		return tx.InsertOrganization(ctx, Organization{ID: "org_1", Slug: "acme", Name: "Acme", CreatedAt: tx.Now, UpdatedAt: tx.Now})
	})
	if err == nil {
		t.Fatal("a write inside Read succeeded")
	}
}
