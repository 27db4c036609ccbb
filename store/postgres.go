package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// Advisory lock keys. Writers take writeLock for the length of their
// transaction, which gives every replica together the single-writer
// behaviour the domain was written for on SQLite; migrateLock keeps
// replicas starting together from migrating at once.
const (
	writeLock   int64 = 0x6f70746172650001
	migrateLock int64 = 0x6f70746172650002
)

// openPostgres opens a PostgreSQL database by URL, with two pools like
// SQLite's: writers (few: they take turns on the write lock anyway, and a
// queue of them must not hold every connection) and readers.
func openPostgres(ctx context.Context, dsn string, opt Options, now func() time.Time) (*DB, error) {
	conns := opt.Readers
	if conns <= 0 {
		conns = max(2*runtime.NumCPU(), 8)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", redact(dsn), err)
	}
	trips := &tripCounter{}
	cfg.Tracer = trips
	writer, reader := stdlib.OpenDB(*cfg), stdlib.OpenDB(*cfg)
	writer.SetMaxOpenConns(postgresWriters)
	writer.SetMaxIdleConns(postgresWriters)
	reader.SetMaxOpenConns(conns)
	reader.SetMaxIdleConns(conns)
	for _, p := range []*sql.DB{writer, reader} {
		p.SetConnMaxIdleTime(5 * time.Minute)
	}
	db := &DB{engine: postgresEngine, path: redact(dsn), writer: writer, reader: reader, now: now, trips: trips, pgConfig: cfg}
	fail := func(err error) (*DB, error) {
		writer.Close()
		reader.Close()
		return nil, err
	}
	if err := writer.PingContext(ctx); err != nil {
		return fail(fmt.Errorf("open database %s: %w", db.path, err))
	}
	if err := db.migrate(ctx); err != nil {
		return fail(err)
	}
	if err := db.loadUniqueIndexes(ctx); err != nil {
		return fail(err)
	}
	if err := db.setupEncryption(ctx, opt); err != nil {
		return fail(err)
	}
	if db.writerStmts, err = db.prepareHot(ctx, writer); err != nil {
		return fail(err)
	}
	if db.readerStmts, err = db.prepareHot(ctx, reader); err != nil {
		db.writerStmts.close()
		return fail(err)
	}
	return db, nil
}

// postgresWriters is the size of the PostgreSQL writer pool.
const postgresWriters = 4

// redact hides the password of a database URL, for messages and Path.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// loadUniqueIndexes maps every unique index and constraint of the schema to
// its "table.column, table.column" list, the form SQLite reports, so a
// conflict names the same columns on both engines (see ConflictError).
func (db *DB) loadUniqueIndexes(ctx context.Context) error {
	rows, err := db.reader.QueryContext(ctx, `SELECT i.relname, t.relname, a.attname
		FROM pg_index x
		JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
		JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
		JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
		WHERE x.indisunique ORDER BY i.relname, k.ord`)
	if err != nil {
		return fmt.Errorf("read unique indexes: %w", err)
	}
	defer rows.Close()
	m := map[string][]string{}
	for rows.Next() {
		var index, table, column string
		if err := rows.Scan(&index, &table, &column); err != nil {
			return fmt.Errorf("read unique indexes: %w", err)
		}
		m[index] = append(m[index], table+"."+column)
	}
	for k, v := range m {
		uniqueColumns.Store(k, v)
	}
	return rows.Err()
}

// uniqueColumns holds what loadUniqueIndexes found. Index names are the
// same in every database this binary migrated, so one map serves them all.
var uniqueColumns sync.Map

// mapPostgresErr turns PostgreSQL errors into the package's errors by
// SQLSTATE, never by message text.
func mapPostgresErr(err error, pe *pgconn.PgError) error {
	switch pe.Code {
	case "23505": // unique_violation
		cols, _ := uniqueColumns.Load(pe.ConstraintName)
		c, _ := cols.([]string)
		return &ConflictError{Constraint: pe.ConstraintName, Columns: c}
	case "23503": // foreign_key_violation
		return fmt.Errorf("%w (%s)", ErrReference, pe.ConstraintName)
	}
	return err
}

// Postgres-only statements the engine sends itself.
func (tx *Tx) lockWriters(ctx context.Context) error {
	_, err := tx.tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", writeLock)
	if err != nil {
		return fmt.Errorf("take the write lock: %w", err)
	}
	return nil
}

// columnsFromMessage reads the "table.column, table.column" list SQLite
// puts after the colon of a constraint message.
func columnsFromMessage(msg string) []string {
	i := strings.LastIndex(msg, ": ")
	if i < 0 {
		return nil
	}
	msg = msg[i+2:]
	if j := strings.LastIndex(msg, " ("); j >= 0 { // the driver's " (2067)" code
		msg = msg[:j]
	}
	return strings.Split(msg, ", ")
}
