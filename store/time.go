package store

import (
	"database/sql"
	"time"
)

// timeFormat is fixed-width UTC so that string order is time order and range
// queries on TEXT columns use their indexes.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// nullTime stores the zero time as NULL (an optional date).
func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}

func parseTime(s string) time.Time {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		// Rows are only written by formatTime; anything else is a bug that
		// should not crash a read, so fall back to the lenient parser.
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t.UTC()
}

// parseNullTime reads an optional time: NULL is the zero time.
func parseNullTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return parseTime(s.String)
}
