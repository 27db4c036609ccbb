package store

import (
	"strconv"
	"strings"
	"sync"
)

// engine is the database behind a DB. Only this package knows it: the
// domain speaks the same methods to both.
type engine int

const (
	// sqliteEngine is the embedded default: one file, one writer.
	sqliteEngine engine = iota
	// postgresEngine serves several replicas from one database.
	postgresEngine
)

func (e engine) String() string {
	if e == postgresEngine {
		return "postgres"
	}
	return "sqlite"
}

// IsPostgresURL reports whether a --db value names a PostgreSQL database
// rather than an SQLite file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Engine names the engine behind db: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.engine.String() }

// rewritten caches the PostgreSQL form of each query: the queries are
// constants, so the cache stays as small as the package's SQL.
var rewritten sync.Map

// q returns query in the engine's dialect. The package's SQL is written
// once, with SQLite's `?` and `?N` placeholders; PostgreSQL wants $N.
func (db *DB) q(query string) string {
	if db.engine != postgresEngine {
		return query
	}
	if v, ok := rewritten.Load(query); ok {
		return v.(string)
	}
	out := dollarPlaceholders(query)
	rewritten.Store(query, out)
	return out
}

// dollarPlaceholders turns `?` into $1, $2, … in order and `?N` into $N,
// leaving string literals, quoted identifiers and comments alone.
func dollarPlaceholders(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(query) {
				if query[j] == c {
					if j+1 < len(query) && query[j+1] == c { // doubled quote inside
						j += 2
						continue
					}
					break
				}
				j++
			}
			b.WriteString(query[i:min(j+1, len(query))])
			i = j
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(query[i+1 : j])
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// args adapts arguments to the engine: SQLite stores Go booleans as 0 and 1
// itself, PostgreSQL wants the integers the INTEGER columns hold.
func (db *DB) args(args []any) []any {
	if db.engine != postgresEngine {
		return args
	}
	copied := false
	for i, a := range args {
		if v, ok := a.(bool); ok {
			if !copied { // never write into the caller's slice
				args, copied = append([]any(nil), args...), true
			}
			if v {
				args[i] = int64(1)
			} else {
				args[i] = int64(0)
			}
		}
	}
	return args
}
