package store

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The cache epoch tells the app's in-memory caches (clients, API keys,
// licence facts, verified access tokens, signing keys) when what they hold
// may be stale. It moves:
//   - at once, in this process, after a write transaction that changed a
//     cached table commits;
//   - on PostgreSQL, when another replica or the CLI commits such a change:
//     the change sends NOTIFY optare_cache in its transaction and every
//     server LISTENs; a poll of cache_version every epochPollPostgres
//     catches a notification lost with its connection;
//   - on SQLite, when the CLI (another process) commits such a change:
//     cache_version is polled every epochPollSQLite (a read of one row of
//     the shared page cache, no I/O).
//
// A cache tags each entry with the epoch it read before reading the
// database, and trusts an entry only while the epoch is unchanged, so a
// read racing a write can never keep the old value.

const (
	epochPollSQLite   = 100 * time.Millisecond
	epochPollPostgres = time.Second
	epochChannel      = "optare_cache"
)

// epochWatch is the epoch and the watcher that moves it for other
// processes' changes.
type epochWatch struct {
	n       atomic.Uint64
	once    sync.Once
	stop    chan struct{}
	done    chan struct{}
	version atomic.Int64 // the last cache_version seen
}

// CacheEpoch is the current cache epoch (see above). The first call starts
// the watcher of other processes' changes, so commands that cache nothing
// never start it.
func (db *DB) CacheEpoch() uint64 {
	db.epoch.once.Do(db.startEpochWatch)
	return db.epoch.n.Load()
}

// bumpEpoch invalidates every cache of this process.
func (db *DB) bumpEpoch() { db.epoch.n.Add(1) }

func (db *DB) startEpochWatch() {
	db.epoch.stop, db.epoch.done = make(chan struct{}), make(chan struct{})
	v, _ := db.cacheVersion(context.Background())
	db.epoch.version.Store(v)
	if db.engine == postgresEngine {
		go db.listenEpoch()
		return
	}
	go db.pollEpoch(epochPollSQLite)
}

// stopEpochWatch ends the watcher, if it runs (Close).
func (db *DB) stopEpochWatch() {
	db.epoch.once.Do(func() {}) // no watcher may start after Close
	if db.epoch.stop != nil {
		close(db.epoch.stop)
		<-db.epoch.done
	}
}

// pollEpoch reads cache_version every interval and moves the epoch when it
// changed.
func (db *DB) pollEpoch(interval time.Duration) {
	defer close(db.epoch.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-db.epoch.stop:
			return
		case <-t.C:
			db.checkVersion()
		}
	}
}

// checkVersion moves the epoch when cache_version moved; a failed read
// moves it too, since a change may have gone unseen.
func (db *DB) checkVersion() {
	ctx, cancel := context.WithTimeout(context.Background(), epochPollPostgres)
	defer cancel()
	v, err := db.cacheVersion(ctx)
	if err != nil || db.epoch.version.Swap(v) != v {
		db.bumpEpoch()
	}
}

// cacheVersion reads the counter without counting a round trip: it is the
// watcher's, not a request's.
func (db *DB) cacheVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.reader.QueryRowContext(ctx, "SELECT version FROM cache_version WHERE id = 1").Scan(&v)
	return v, err
}

// markCacheChange bumps cache_version in tx (and, on PostgreSQL, notifies
// the other servers at commit) and returns the new version. Write calls it
// before committing a transaction that changed a cached table.
func (tx *Tx) markCacheChange(ctx context.Context) (int64, error) {
	var v int64
	if err := tx.tx.QueryRowContext(ctx, "UPDATE cache_version SET version = version + 1 WHERE id = 1 RETURNING version").Scan(&v); err != nil {
		return 0, err
	}
	if tx.db.engine == postgresEngine {
		if _, err := tx.tx.ExecContext(ctx, "SELECT pg_notify('"+epochChannel+"', $1)", strconv.FormatInt(v, 10)); err != nil {
			return 0, err
		}
	}
	return v, nil
}

// committedCacheChange moves the epoch after this process committed
// version v of cache_version. When the watcher had seen v-1, it now knows
// v, so it does not move the epoch a second time for this process's own
// change (which would empty every cache twice per write).
func (db *DB) committedCacheChange(v int64) {
	db.epoch.version.CompareAndSwap(v-1, v)
	db.bumpEpoch()
}

// invalidatesCache reports whether a write statement changes data the
// app caches. Writes that only record use (last-used times, a grant's
// extended expiry, a new grant no token names yet) do not: they would
// empty every cache on every token refresh.
func invalidatesCache(query string) bool {
	if v, ok := invalidation.Load(query); ok {
		return v.(bool)
	}
	v := classifyWrite(query)
	invalidation.Store(query, v)
	return v
}

var invalidation sync.Map

// cachedTables are the tables whose rows the app's caches derive from.
var cachedTables = map[string]bool{
	"users": true, "memberships": true, "organizations": true, "oauth_clients": true, "oauth_client_origins": true,
	"api_keys": true, "products": true, "subscriptions": true, "seats": true, "oauth_grants": true,
	"oauth_revoked_tokens": true, "signing_keys": true,
}

func classifyWrite(query string) bool {
	f := strings.Fields(strings.ToLower(query))
	var table string
	switch {
	case len(f) >= 3 && f[0] == "insert" && f[1] == "into":
		table = f[2]
	case len(f) >= 3 && f[0] == "delete" && f[1] == "from":
		table = f[2]
	case len(f) >= 2 && f[0] == "update":
		table = f[1]
	default:
		return true // unknown shape: be safe
	}
	table, _, _ = strings.Cut(table, "(")
	if !cachedTables[table] {
		return false
	}
	set := ""
	if f[0] == "update" && len(f) >= 4 && f[2] == "set" {
		set = f[3]
	}
	switch {
	case table == "api_keys" && set == "last_used_at":
		return false
	case table == "oauth_grants" && (f[0] == "insert" || set == "expires_at"):
		return false
	}
	return true
}
