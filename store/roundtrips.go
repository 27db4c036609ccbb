package store

import (
	"context"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// RoundTrips counts the requests this process has made of the database
// engine: on PostgreSQL every message exchange with the server (BEGIN,
// each statement, COMMIT, each prepare), counted by pgx's tracer; on
// SQLite, which runs in-process and has no network round trip, every
// statement handed to the engine, BEGIN and COMMIT included. Tests and the
// README's figures read differences of it around one request.
func (db *DB) RoundTrips() int64 { return db.trips.n.Load() }

// Writes counts the write transactions and the shared rate-limit counts
// this process has made: a hot read path must not add to it.
func (db *DB) Writes() int64 { return db.trips.writes.Load() }

// tripCounter counts round trips (see RoundTrips) and writes.
type tripCounter struct{ n, writes atomic.Int64 }

// TraceQueryStart counts one statement sent to PostgreSQL.
func (c *tripCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

// TraceQueryEnd is required by pgx.QueryTracer.
func (c *tripCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TracePrepareStart counts one prepare sent to PostgreSQL.
func (c *tripCounter) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	c.n.Add(1)
	return ctx
}

// TracePrepareEnd is required by pgx.PrepareTracer.
func (c *tripCounter) TracePrepareEnd(context.Context, *pgx.Conn, pgx.TracePrepareEndData) {}

// sqliteTrip counts one SQLite statement; PostgreSQL's are counted by the
// tracer.
func (db *DB) sqliteTrip() {
	if db.engine == sqliteEngine {
		db.trips.n.Add(1)
	}
}
