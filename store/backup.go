package store

import (
	"context"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the live database to path with VACUUM
// INTO, which reads one snapshot and so is safe while the server runs. It
// refuses to overwrite an existing file.
//
// On PostgreSQL it refuses: the server's own tools back it up.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.engine == postgresEngine {
		return fmt.Errorf("backup: this database is PostgreSQL (%s); back it up with pg_dump, e.g. pg_dump --format=custom --file=optare.dump \"$OPTARE_DB\"", db.path)
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if _, err := db.writer.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("backup to %s: %s", path, describe(err))
	}
	return nil
}
