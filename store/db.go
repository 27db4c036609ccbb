package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNotFound reports that a query matched no row.
var ErrNotFound = errors.New("store: not found")

// ErrConflict reports that a write broke a unique or primary-key constraint.
var ErrConflict = errors.New("store: conflict")

// ErrReference reports that a write named a row that does not exist (a
// foreign-key violation).
var ErrReference = errors.New("store: reference to a missing row")

// DB is an open Optare database: a single writer connection, so writers queue
// in Go instead of spinning on SQLITE_BUSY, and a pool of read-only
// connections that WAL mode lets run beside the writer.
//
// On PostgreSQL (Open with a postgres:// URL) the writer pool has a few
// connections and writers serialize through an advisory lock instead, across
// every replica (postgres.go).
type DB struct {
	engine engine
	path   string
	writer *sql.DB
	reader *sql.DB
	now    func() time.Time
	// Prepared statements per pool (see stmtCache).
	writerStmts, readerStmts *stmtCache
	// leader holds the background-work leadership on PostgreSQL (leader.go).
	leader leadership
	// trips counts requests to the engine (RoundTrips).
	trips *tripCounter
	// kek encrypts signing keys at rest (keycrypt.go); nil stores them plain.
	kek cipher.AEAD
	// epoch tells in-memory caches when cached data changed (cache_epoch.go).
	epoch epochWatch
	// group queues WriteGrouped calls (group_commit.go).
	group groupCommit
	// pgConfig is the PostgreSQL connection configuration (the cache
	// watcher opens its own connection with it); nil on SQLite.
	pgConfig *pgx.ConnConfig
}

// Options tunes Open. The zero value is what production uses.
type Options struct {
	// Now is the clock transactions read; nil means time.Now.
	Now func() time.Time
	// Readers is the size of the read pool; zero means one per CPU, at least 4.
	Readers int
	// EncryptionKey (32 bytes) encrypts signing keys at rest.
	EncryptionKey []byte
	// UseKeyFile, without EncryptionKey, reads the key from the file beside
	// the database (KeyFilePath), creating it 0600 on first start. With
	// neither, signing keys are stored as plain PEM (tests only).
	UseKeyFile bool
	// rawKeys skips the encryption key (Copy moves the sealed keys as
	// they are: the copy needs the same key as the source).
	rawKeys bool
}

// Open opens (creating if needed) the database at path, applies the embedded
// migrations and returns it ready for use. A database written by a newer
// binary is refused with ErrTooNew. A postgres:// URL opens PostgreSQL
// instead of an SQLite file.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("open database: empty path")
	}
	if IsPostgresURL(path) {
		now := opt.Now
		if now == nil {
			now = time.Now
		}
		return openPostgres(ctx, path, opt, now)
	}
	if dir := filepath.Dir(path); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("open database %s: folder %s: %w", path, dir, err)
		}
	}
	if err := ensurePrivateFiles(path); err != nil {
		return nil, err
	}
	readers := opt.Readers
	if readers <= 0 {
		readers = max(runtime.NumCPU(), 4)
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	writer, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	db := &DB{path: path, writer: writer, now: now, trips: &tripCounter{}}
	if err := db.check(ctx); err != nil {
		writer.Close()
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		writer.Close()
		return nil, err
	}
	if err := db.setupEncryption(ctx, opt); err != nil {
		writer.Close()
		return nil, err
	}
	reader, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	reader.SetConnMaxIdleTime(0)
	db.reader = reader
	if db.writerStmts, err = db.prepareHot(ctx, writer); err != nil {
		db.Close()
		return nil, err
	}
	if db.readerStmts, err = db.prepareHot(ctx, reader); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// dsn builds the connection string: WAL, NORMAL sync (durable across process
// crashes, which is what a single VM needs), foreign keys, a busy timeout for
// the rare case two processes (server and CLI) write at once, and BEGIN
// IMMEDIATE for writers so a transaction never fails half-way on upgrade.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// SQLiteWriterDSN is the connection string of Optare's writer connection
// to the SQLite file at path (WAL and the pragmas above), for the load
// scenario's baseline: a bare SQLite write configured as Optare's.
func SQLiteWriterDSN(path string) string { return dsn(path, false) }

// check turns the first-contact failures (not a database, unwritable) into
// one clear sentence.
func (db *DB) check(ctx context.Context) error {
	var mode string
	if err := db.writer.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("open database %s: %s", db.path, describe(err))
	}
	return nil
}

func describe(err error) string {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return "the file is not an SQLite database or is corrupt"
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
			return "the file or its folder is not writable"
		}
	}
	return err.Error()
}

// Close closes both pools. The writer is closed last so that a final WAL
// checkpoint folds the log back into the main file.
func (db *DB) Close() error {
	var errs []error
	db.group.stop() // before the writer closes: what is queued was accepted
	db.stopEpochWatch()
	db.leader.resign()
	db.writerStmts.close()
	if db.readerStmts != db.writerStmts {
		db.readerStmts.close()
	}
	if db.reader != nil && db.reader != db.writer {
		errs = append(errs, db.reader.Close())
	}
	errs = append(errs, db.writer.Close())
	return errors.Join(errs...)
}

// Path is the file the database lives in (for PostgreSQL, its URL without
// the password).
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers a query (for readiness probes).
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Tx is one transaction. Now is read once when the transaction starts, so
// every row it writes carries the same time and tests can fix the clock.
type Tx struct {
	db    *DB
	tx    *sql.Tx // nil for ReadOne
	stmts *stmtCache
	kek   cipher.AEAD
	Now   time.Time
	// single marks a ReadOne: no transaction, one statement.
	single, used bool
	// dirty marks a write that changed cached data (invalidatesCache).
	dirty bool
}

// errOneStatement is a ReadOne that tried a second statement or a write.
var errOneStatement = errors.New("store: ReadOne allows one read statement: use Read")

// one claims ReadOne's single statement.
func (tx *Tx) one() error {
	if tx.used {
		return errOneStatement
	}
	tx.used = true
	return nil
}

// Read runs fn in a read-only transaction on the reader pool: a consistent
// snapshot that never waits for the writer (on PostgreSQL, REPEATABLE READ
// gives the same single snapshot).
func (db *DB) Read(ctx context.Context, fn func(*Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.engine == postgresEngine {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.reader.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	db.sqliteTrip()
	defer func() { tx.Rollback(); db.sqliteTrip() }()
	return fn(&Tx{db: db, tx: tx, stmts: db.readerStmts, kek: db.kek, Now: db.now().UTC()})
}

// ReadOne runs fn, which makes exactly one read statement, without a
// transaction: one statement is its own consistent snapshot, so BEGIN and
// COMMIT would only add two round trips (on PostgreSQL, network ones) to
// the hot paths that use it (token checks, client authentication). A
// second statement, or a write, inside fn fails.
func (db *DB) ReadOne(ctx context.Context, fn func(*Tx) error) error {
	return fn(&Tx{db: db, stmts: db.readerStmts, kek: db.kek, Now: db.now().UTC(), single: true})
}

// Write runs fn in a write transaction on the single writer connection and
// commits when fn returns nil; any error rolls everything back. On
// PostgreSQL the transaction first takes the cluster-wide write lock, so
// writes from every replica run one at a time, as on SQLite.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	db.trips.writes.Add(1)
	tx, t, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if tx.Rollback() != sql.ErrTxDone {
			db.sqliteTrip()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	return db.commitWrite(ctx, tx, t)
}

// beginWrite starts a write transaction on the writer (on PostgreSQL,
// holding the write lock): Write's and WriteGrouped's.
func (db *DB) beginWrite(ctx context.Context) (*sql.Tx, *Tx, error) {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("begin write: %w", err)
	}
	db.sqliteTrip()
	t := &Tx{db: db, tx: tx, stmts: db.writerStmts, kek: db.kek, Now: db.now().UTC()}
	if db.engine == postgresEngine {
		if err := t.lockWriters(ctx); err != nil {
			tx.Rollback()
			return nil, nil, err
		}
	}
	return tx, t, nil
}

// commitWrite commits a write transaction, first marking the cache change
// when one of its statements changed cached data, and publishes it to this
// process's caches after the commit (a read tagged with the new epoch must
// see the change).
func (db *DB) commitWrite(ctx context.Context, tx *sql.Tx, t *Tx) error {
	var version int64
	var err error
	if t.dirty {
		db.sqliteTrip()
		if version, err = t.markCacheChange(ctx); err != nil {
			return fmt.Errorf("mark cache change: %w", mapErr(err))
		}
	}
	db.sqliteTrip()
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", mapErr(err))
	}
	if t.dirty {
		db.committedCacheChange(version)
	}
	return nil
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	var err error
	if tx.single {
		return nil, errOneStatement
	}
	tx.db.sqliteTrip()
	args = tx.db.args(args)
	if st := tx.stmt(ctx, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = tx.tx.ExecContext(ctx, tx.db.q(query), args...)
	}
	if err == nil && !tx.dirty && invalidatesCache(query) {
		// Only a statement that changed rows: the sweep's deletes of
		// nothing must not empty every cache each minute.
		n, rerr := res.RowsAffected()
		tx.dirty = rerr != nil || n > 0
	}
	return res, mapErr(err)
}

// execOne runs a statement that must change exactly one row.
func (tx *Tx) execOne(ctx context.Context, query string, args ...any) error {
	res, err := tx.exec(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	tx.db.sqliteTrip()
	args = tx.db.args(args)
	if tx.single {
		if err := tx.one(); err != nil {
			panic(err) // a bug in the caller, like a second statement in ReadOne: no row can stand for it
		}
		if st := tx.stmts.m[query]; st != nil {
			return st.QueryRowContext(ctx, args...)
		}
		return tx.db.reader.QueryRowContext(ctx, tx.db.q(query), args...)
	}
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.tx.QueryRowContext(ctx, tx.db.q(query), args...)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx.db.sqliteTrip()
	args = tx.db.args(args)
	if tx.single {
		if err := tx.one(); err != nil {
			return nil, err
		}
		if st := tx.stmts.m[query]; st != nil {
			return st.QueryContext(ctx, args...)
		}
		return tx.db.reader.QueryContext(ctx, tx.db.q(query), args...)
	}
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.tx.QueryContext(ctx, tx.db.q(query), args...)
}

// ConflictError is a write refused by a unique or primary-key constraint.
// It matches ErrConflict with errors.Is.
type ConflictError struct {
	// Constraint is the index's name where the engine reports it
	// (PostgreSQL); SQLite reports only the columns.
	Constraint string
	// Columns are the constrained columns as "table.column", in index order.
	Columns []string
}

func (e *ConflictError) Error() string {
	if len(e.Columns) == 0 {
		return "store: conflict: " + e.Constraint
	}
	return "store: conflict: " + strings.Join(e.Columns, ", ")
}

// Is makes errors.Is(err, ErrConflict) hold.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// mapErr turns engine errors into the package's errors by SQLite extended
// result code or PostgreSQL SQLSTATE.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return mapPostgresErr(err, pe)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			// SQLite names no index, only the columns: "…failed: t.a, t.b".
			return &ConflictError{Columns: columnsFromMessage(se.Error())}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return ErrReference
		}
	}
	return err
}

// IsConflictOn reports whether err is a conflict on a unique index covering
// the named column ("table.column"), for the few places that must tell two
// unique indexes apart.
func IsConflictOn(err error, column string) bool {
	var ce *ConflictError
	return errors.As(err, &ce) && slices.Contains(ce.Columns, column)
}

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// collect reads every row of a query with scan and closes the rows: the one
// loop behind every list in this package.
func collect[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
