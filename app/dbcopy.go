package app

import (
	"context"

	"optare/store"
)

// CopiedTable is one table of a database copy and how many rows it held.
type CopiedTable struct {
	Table string `json:"table"`
	Rows  int    `json:"rows"`
}

// CopyDatabase moves a whole SQLite database into an empty PostgreSQL
// database and verifies the copy row by row: how a team that started on
// one VM moves up to replicas. It works on two databases and no service,
// so it is a function rather than a Service method.
func CopyDatabase(ctx context.Context, from, to string) ([]CopiedTable, error) {
	rep, err := store.Copy(ctx, from, to)
	out := make([]CopiedTable, 0, len(rep.Tables))
	for _, t := range rep.Tables {
		out = append(out, CopiedTable{Table: t.Table, Rows: t.Rows})
	}
	return out, err
}
