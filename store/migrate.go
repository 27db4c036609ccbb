package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// The SQLite migrations are migrations/*.sql; PostgreSQL's are the same
// steps in its dialect, migrations/postgres/*.sql, with the same numbers.
//
//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// ErrTooNew reports a database whose schema was written by a newer binary.
var ErrTooNew = errors.New("database is newer than this binary")

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) { return migrationsIn("migrations") }

// migrationsFor lists the engine's migrations.
func migrationsFor(e engine) ([]migration, error) {
	if e == postgresEngine {
		return migrationsIn("migrations/postgres")
	}
	return migrations()
}

func migrationsIn(dir string) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", e.Name())
		}
		b, err := migrationFS.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// SchemaVersion is the newest migration this binary carries.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies every embedded migration the database has not recorded,
// in order, each in its own transaction with its bookkeeping row, so a
// failure leaves the database at the last complete step. Applied versions are
// a set, not a high-water mark, so a migration merged from a parallel branch
// with a lower number is still applied. On PostgreSQL the whole run holds an
// advisory lock, so replicas starting together migrate once, one after the
// other (the later ones find nothing left to do).
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrationsFor(db.engine)
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	if len(ms) != SchemaVersionCount() {
		return fmt.Errorf("read migrations: %d for %s but %d for sqlite: every migration needs both dialects", len(ms), db.engine, SchemaVersionCount())
	}
	conn, err := db.writer.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open database %s: %s", db.path, describe(err))
	}
	defer conn.Close()
	if db.engine == postgresEngine {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
			return fmt.Errorf("open database %s: take the migration lock: %w", db.path, err)
		}
		// Unlock on a fresh context: the caller's may be the reason we stop.
		defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", migrateLock)
	}
	if _, err := conn.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"); err != nil {
		return fmt.Errorf("open database %s: %s", db.path, describe(err))
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.version] = true
	}
	applied := map[int]bool{}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("read schema version: %w", err)
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	latest := ms[len(ms)-1].version
	for v := range applied {
		if !known[v] {
			return fmt.Errorf("open database %s: schema version %d, this binary knows up to %d: %w (upgrade optare)", db.path, v, latest, ErrTooNew)
		}
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		if err := db.applyMigration(ctx, conn, m); err != nil {
			return fmt.Errorf("apply migration %s: %w", m.name, err)
		}
	}
	return nil
}

// applyMigration runs one migration and records it in one transaction.
func (db *DB) applyMigration(ctx context.Context, conn *sql.Conn, m migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, db.q("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"), m.version, m.name, formatTime(db.now())); err != nil {
		return mapErr(err)
	}
	return tx.Commit()
}

// SchemaVersionCount is how many migrations this binary carries per engine.
func SchemaVersionCount() int {
	ms, _ := migrations()
	return len(ms)
}
