package store

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// listenEpoch is the PostgreSQL watcher: one connection of its own (not
// the pools', so its traffic is no request's round trip) that LISTENs for
// optare_cache and, every epochPollPostgres without a notification, reads
// cache_version in case one was lost. A broken connection is replaced, and
// the epoch moves, since changes may have gone unseen meanwhile.
func (db *DB) listenEpoch() {
	defer close(db.epoch.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-db.epoch.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	cfg := db.pgConfig.Copy()
	cfg.Tracer = nil
	// A wait that times out only sets the socket's deadline: no cancel
	// request each second, and the connection stays usable.
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.DeadlineContextWatcherHandler{Conn: c.Conn()}
	}
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+epochChannel); err != nil {
				conn.Close(context.Background())
			}
		}
		db.bumpEpoch() // changes made while not listening went unseen
		if err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(epochPollPostgres):
			}
			continue
		}
		db.watchConn(ctx, conn)
		conn.Close(context.Background())
	}
}

// watchConn waits for notifications on conn until it breaks or ctx ends.
func (db *DB) watchConn(ctx context.Context, conn *pgx.Conn) {
	for ctx.Err() == nil {
		wctx, cancel := context.WithTimeout(ctx, epochPollPostgres)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			// The payload is the version committed. One this process
			// already knows (its own write) changes nothing here.
			v, perr := strconv.ParseInt(n.Payload, 10, 64)
			if perr != nil || db.epoch.version.Load() < v {
				if perr == nil {
					db.epoch.version.Store(v)
				}
				db.bumpEpoch()
			}
		case ctx.Err() != nil:
			return
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			var v int64
			if err := conn.QueryRow(ctx, "SELECT version FROM cache_version WHERE id = 1").Scan(&v); err != nil {
				return
			}
			if db.epoch.version.Swap(v) != v {
				db.bumpEpoch()
			}
		default:
			return
		}
	}
}
