package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// hotQueries are the statements of the hot paths (access-token checks,
// userinfo, the token endpoint), prepared once per pool when the database
// opens. Parsing and planning SQL costs more than running an indexed lookup,
// so these must not be re-prepared on every request.
var hotQueries []string

// hot registers a query as hot and returns it unchanged, so the query's
// declaration says that it is.
func hot(query string) string {
	hotQueries = append(hotQueries, query)
	return query
}

// stmtCache holds the prepared hot statements of one pool. It is filled at
// Open, before any transaction exists: preparing later would need a second
// connection while a transaction holds one, and the writer has only one.
// database/sql then prepares each statement once per connection, on the
// transaction's own connection (Tx.StmtContext).
type stmtCache struct {
	m map[string]*sql.Stmt
	// pool and built hold the statements built at run time (HotRead's, one
	// per shape), prepared outside any transaction on first use.
	pool  *sql.DB
	built sync.Map // query -> *sql.Stmt
}

func (db *DB) prepareHot(ctx context.Context, pool *sql.DB) (*stmtCache, error) {
	c := &stmtCache{m: map[string]*sql.Stmt{}, pool: pool}
	for _, q := range hotQueries {
		st, err := pool.PrepareContext(ctx, db.q(q))
		if err != nil {
			c.close()
			return nil, fmt.Errorf("prepare hot statement: %w", err)
		}
		c.m[q] = st
	}
	return c, nil
}

// close releases every prepared statement.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	for _, st := range c.m {
		st.Close()
	}
	c.built.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
}

// lazy returns the prepared statement of a query built at run time,
// preparing it on the pool the first time.
func (c *stmtCache) lazy(ctx context.Context, db *DB, query string) (*sql.Stmt, error) {
	if st, ok := c.built.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := c.pool.PrepareContext(ctx, db.q(query))
	if err != nil {
		return nil, err
	}
	if prev, raced := c.built.LoadOrStore(query, st); raced {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// stmt binds the prepared statement for query to tx, or nil when query is
// not a hot one (it then runs unprepared).
func (tx *Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if tx.stmts == nil {
		return nil
	}
	st := tx.stmts.m[query]
	if st == nil {
		return nil
	}
	return tx.tx.StmtContext(ctx, st)
}
