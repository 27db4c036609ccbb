package store

import (
	"errors"
	"fmt"
	"os"
)

// The database holds password hashes, token hashes and (encrypted) signing
// keys: its files are the owner's only. SQLite gives the WAL and shared
// memory files the mode of the database file, so creating that 0600 makes
// all three private.
const privateMode os.FileMode = 0o600

// ensurePrivateFiles creates the database file 0600 when it does not exist
// yet and takes group and other access away from an existing database and
// its WAL and SHM files (written 0644 by earlier versions).
func ensurePrivateFiles(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateMode)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil || !st.Mode().IsRegular() || st.Mode().Perm()&0o077 == 0 {
			continue
		}
		if err := os.Chmod(p, st.Mode().Perm()&^0o077); err != nil {
			return fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return nil
}
