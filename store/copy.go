package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// CopyReport is what Copy moved: rows per table, in copy order.
type CopyReport struct {
	Tables []TableCount
}

// TableCount is one table's row count.
type TableCount struct {
	Table string
	Rows  int
}

// Rows is the total number of rows copied.
func (r CopyReport) Rows() int {
	n := 0
	for _, t := range r.Tables {
		n += t.Rows
	}
	return n
}

// Copy moves a whole SQLite database into an empty PostgreSQL database:
// the way up from one VM to replicas. It reads one snapshot of the source
// (safe while a server runs on it), writes every row in one PostgreSQL
// transaction (a failure leaves the destination empty), then reads both
// back and compares them row by row. Nothing must serve the destination
// while it runs. Signing keys move sealed as they are: the replicas need
// the source's encryption key (its key file's content, as
// OPTARE_ENCRYPTION_KEY).
func Copy(ctx context.Context, from, to string) (CopyReport, error) {
	if IsPostgresURL(from) || !IsPostgresURL(to) {
		return CopyReport{}, errors.New("copy: --from must be an SQLite file and --to a postgres:// URL")
	}
	if _, err := os.Stat(from); err != nil {
		return CopyReport{}, fmt.Errorf("copy: source %s: %w", from, err)
	}
	src, err := Open(ctx, from, Options{rawKeys: true})
	if err != nil {
		return CopyReport{}, fmt.Errorf("copy: source: %w", err)
	}
	defer src.Close()
	dst, err := Open(ctx, to, Options{rawKeys: true})
	if err != nil {
		return CopyReport{}, fmt.Errorf("copy: destination: %w", err)
	}
	defer dst.Close()
	tables, err := copyOrder(ctx, src)
	if err != nil {
		return CopyReport{}, err
	}
	snap, err := src.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return CopyReport{}, fmt.Errorf("copy: read source: %w", err)
	}
	defer snap.Rollback()
	w, err := dst.writer.BeginTx(ctx, nil)
	if err != nil {
		return CopyReport{}, fmt.Errorf("copy: write destination: %w", err)
	}
	defer w.Rollback()
	// A database nothing ever used: no organization, user, signing key or
	// audit entry (setup, serve and every change make some). Rows that
	// migrations seed (settings) are replaced by the source's.
	for _, table := range []string{"organizations", "users", "signing_keys", "audit_log"} {
		var n int
		if err := w.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			return CopyReport{}, fmt.Errorf("copy: destination %s: %w", table, err)
		}
		if n > 0 {
			return CopyReport{}, fmt.Errorf("copy: the destination is not empty (%s has %d rows): copy into a new, empty database", table, n)
		}
	}
	var rep CopyReport
	for i := len(tables) - 1; i >= 0; i-- { // children first
		if _, err := w.ExecContext(ctx, "DELETE FROM "+tables[i].name); err != nil {
			return rep, fmt.Errorf("copy: clear %s: %w", tables[i].name, err)
		}
	}
	for _, t := range tables {
		n, err := copyTable(ctx, snap, w, t)
		if err != nil {
			return rep, fmt.Errorf("copy: %s: %w", t.name, err)
		}
		rep.Tables = append(rep.Tables, TableCount{Table: t.name, Rows: n})
	}
	// Identity columns continue after the copied values.
	if _, err := w.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('audit_log', 'seq'), COALESCE(MAX(seq), 0) + 1, false) FROM audit_log"); err != nil {
		return rep, fmt.Errorf("copy: audit sequence: %w", err)
	}
	if err := w.Commit(); err != nil {
		return rep, fmt.Errorf("copy: commit: %w", err)
	}
	for _, t := range tables {
		if err := verifyTable(ctx, snap, dst.reader, t); err != nil {
			return rep, fmt.Errorf("copy: verify %s: %w", t.name, err)
		}
	}
	return rep, nil
}

// copyTable is one table's name and columns, with the PostgreSQL type of
// each column (values are adapted to it).
type copyTableInfo struct {
	name    string
	columns []string
	pgTypes []string
}

// copyOrder lists the source's tables (schema_migrations aside: the
// destination's own migrations wrote it) so that every table comes after
// the tables its foreign keys name.
func copyOrder(ctx context.Context, src *DB) ([]copyTableInfo, error) {
	rows, err := src.reader.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("copy: list tables: %w", err)
	}
	names, err := collect(rows, nil, func(s scanner) (string, error) { var n string; return n, s.Scan(&n) })
	if err != nil {
		return nil, fmt.Errorf("copy: list tables: %w", err)
	}
	deps := map[string][]string{}
	for _, n := range names {
		rows, err := src.reader.QueryContext(ctx, "SELECT \"table\" FROM pragma_foreign_key_list(?)", n)
		refs, err := collect(rows, err, func(s scanner) (string, error) { var r string; return r, s.Scan(&r) })
		if err != nil {
			return nil, fmt.Errorf("copy: foreign keys of %s: %w", n, err)
		}
		deps[n] = refs
	}
	var order []string
	done := map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		if done[n] {
			return
		}
		done[n] = true
		for _, d := range deps[n] {
			visit(d)
		}
		order = append(order, n)
	}
	for _, n := range names {
		visit(n)
	}
	out := make([]copyTableInfo, 0, len(order))
	for _, n := range order {
		rows, err := src.reader.QueryContext(ctx, "SELECT name FROM pragma_table_info(?) ORDER BY cid", n)
		cols, err := collect(rows, err, func(s scanner) (string, error) { var c string; return c, s.Scan(&c) })
		if err != nil {
			return nil, fmt.Errorf("copy: columns of %s: %w", n, err)
		}
		out = append(out, copyTableInfo{name: n, columns: cols})
	}
	return out, nil
}

// pgColumnTypes fills t.pgTypes from the destination, refusing a column
// the destination lacks (the two binaries' schemas differ).
func pgColumnTypes(ctx context.Context, w *sql.Tx, t *copyTableInfo) error {
	rows, err := w.QueryContext(ctx, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1", t.name)
	if err != nil {
		return err
	}
	defer rows.Close()
	types := map[string]string{}
	for rows.Next() {
		var c, ty string
		if err := rows.Scan(&c, &ty); err != nil {
			return err
		}
		types[c] = ty
	}
	if err := rows.Err(); err != nil {
		return err
	}
	t.pgTypes = make([]string, len(t.columns))
	for i, c := range t.columns {
		ty, ok := types[c]
		if !ok {
			return fmt.Errorf("the destination has no column %s.%s", t.name, c)
		}
		t.pgTypes[i] = ty
	}
	return nil
}

func copyTable(ctx context.Context, snap, w *sql.Tx, t copyTableInfo) (int, error) {
	if err := pgColumnTypes(ctx, w, &t); err != nil {
		return 0, err
	}
	cols := strings.Join(t.columns, ", ")
	ph := make([]string, len(t.columns))
	for i := range ph {
		ph[i] = "$" + strconv.Itoa(i+1)
	}
	ins, err := w.PrepareContext(ctx, "INSERT INTO "+t.name+" ("+cols+") VALUES ("+strings.Join(ph, ", ")+")")
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	rows, err := snap.QueryContext(ctx, "SELECT "+cols+" FROM "+t.name)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	vals := make([]any, len(t.columns))
	ptrs := make([]any, len(t.columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		args := make([]any, len(vals))
		for i, v := range vals {
			args[i] = adaptValue(v, t.pgTypes[i])
		}
		if _, err := ins.ExecContext(ctx, args...); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	return n, rows.Err()
}

// adaptValue turns an SQLite value into what the PostgreSQL column takes:
// SQLite lets a BLOB column hold text and a REAL column hold an integer.
func adaptValue(v any, pgType string) any {
	switch pgType {
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s)
		}
	case "double precision":
		if i, ok := v.(int64); ok {
			return float64(i)
		}
	}
	return v
}

// verifyTable compares every row of the source snapshot with the
// destination: the same rows, value for value, as multisets (the engines
// may order text differently).
func verifyTable(ctx context.Context, snap *sql.Tx, dst *sql.DB, t copyTableInfo) error {
	cols := strings.Join(t.columns, ", ")
	srcRows, err := snap.QueryContext(ctx, "SELECT "+cols+" FROM "+t.name)
	a, err := encodeRows(srcRows, err, len(t.columns))
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	dstRows, err := dst.QueryContext(ctx, "SELECT "+cols+" FROM "+t.name)
	b, err := encodeRows(dstRows, err, len(t.columns))
	if err != nil {
		return fmt.Errorf("read destination: %w", err)
	}
	if len(a) != len(b) {
		return fmt.Errorf("%d rows in the source, %d in the destination", len(a), len(b))
	}
	slices.Sort(a)
	slices.Sort(b)
	for i := range a {
		if a[i] != b[i] {
			return fmt.Errorf("rows differ: source %s, destination %s", a[i], b[i])
		}
	}
	return nil
}

// encodeRows reads rows into one canonical string each: values as text,
// so an SQLite TEXT and a PostgreSQL BYTEA holding the same bytes match.
func encodeRows(rows *sql.Rows, err error, ncol int) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	vals := make([]any, ncol)
	ptrs := make([]any, ncol)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		parts := make([]string, ncol)
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				parts[i] = "NULL"
			case []byte:
				parts[i] = strconv.Quote(string(x))
			case string:
				parts[i] = strconv.Quote(x)
			case float64:
				parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
			default:
				parts[i] = fmt.Sprint(x)
			}
		}
		out = append(out, "("+strings.Join(parts, ", ")+")")
	}
	return out, rows.Err()
}
