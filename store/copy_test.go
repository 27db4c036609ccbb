package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"optare/store/pgtest"
)

// TestCopyVerifiesRowByRow copies a small database, then changes one value
// in the destination and checks that the verification notices.
func TestCopyVerifiesRowByRow(t *testing.T) {
	if !pgtest.Postgres() {
		t.Skip("needs PostgreSQL as the destination")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "src.db")
	src, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	err = src.Write(ctx, func(tx *Tx) error {
		if err := tx.InsertOrganization(ctx, Organization{ID: "org_1", Slug: "acme", Name: "Acme", CreatedAt: tx.Now, UpdatedAt: tx.Now}); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, AuditEntry{ID: "aud_1", CreatedAt: tx.Now, ActorType: "cli", Action: "x.y", Outcome: "success"})
	})
	if err != nil {
		t.Fatal(err)
	}
	to := pgtest.Empty(t)
	rep, err := Copy(ctx, path, to)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows() != 2+2 { // and the seeded rows: the audit retention setting and the cache version
		t.Errorf("copied %d rows, want 4", rep.Rows())
	}
	dst, err := Open(ctx, to, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	// The audit sequence continues after the copied entries.
	err = dst.Write(ctx, func(tx *Tx) error {
		return tx.InsertAudit(ctx, AuditEntry{ID: "aud_2", CreatedAt: tx.Now, ActorType: "cli", Action: "x.y", Outcome: "success"})
	})
	if err != nil {
		t.Fatalf("audit entry after the copy: %v", err)
	}
	if _, err := dst.writer.Exec("UPDATE organizations SET name = 'Acme!'"); err != nil {
		t.Fatal(err)
	}
	snap, err := src.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Rollback()
	err = verifyTable(ctx, snap, dst.reader, copyTableInfo{name: "organizations", columns: []string{"id", "slug", "name", "is_operator", "created_at", "updated_at"}})
	if err == nil || !strings.Contains(err.Error(), "Acme!") {
		t.Fatalf("verify after a change = %v, want the differing row", err)
	}
}
