package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the live database to path with VACUUM
// INTO, which reads one snapshot and so is safe while the server runs. It
// refuses to overwrite an existing file. The copy is created 0600, like the
// database, and its signing keys stay encrypted: restoring it needs the
// same encryption key.
//
// On PostgreSQL it refuses: the server's own tools back it up.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.engine == postgresEngine {
		return fmt.Errorf("backup: this database is PostgreSQL (%s); back it up with pg_dump, e.g. pg_dump --format=custom --file=optare.dump \"$OPTARE_DB\"", db.path)
	}
	// VACUUM INTO accepts an empty file: creating it first (exclusively)
	// sets its mode and refuses an existing file without a race.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateMode)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	if _, err := db.writer.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %s: %s", path, describe(err))
	}
	return nil
}
