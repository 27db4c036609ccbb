package app

// Cursor is a list's next-page cursor; JSON writes an empty one as null.
type Cursor string

// MarshalJSON writes null for the last page.
func (c Cursor) MarshalJSON() ([]byte, error) {
	if c == "" {
		return []byte("null"), nil
	}
	return []byte(`"` + string(c) + `"`), nil // cursors are ids or digits: nothing to escape
}

// pageOf cuts rows, read with limit+1, to one page: the first limit rows
// converted with conv and, when there are more, the cursor of the last one
// on the page (its key).
func pageOf[R, T any](rows []R, limit int, conv func(R) T, key func(R) string) ([]T, Cursor) {
	items := make([]T, 0, min(len(rows), limit))
	var next Cursor
	for i, r := range rows {
		if i == limit {
			next = Cursor(key(rows[i-1]))
			break
		}
		items = append(items, conv(r))
	}
	return items, next
}

// Page sizes for every list.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}
