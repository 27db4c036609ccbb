package store

import (
	"context"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the live database to path with VACUUM
// INTO, which reads one snapshot and so is safe while the server runs. It
// refuses to overwrite an existing file.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if _, err := db.writer.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("backup to %s: %s", path, describe(err))
	}
	return nil
}
