package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func modeOf(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// TestKeysEncryptedAtRest: a first start creates a 0600 key file beside a
// 0600 database; signing keys are stored encrypted and read back as PEM; a
// wrong or missing key is refused at open with a clear error; backups are
// 0600 and keep the keys encrypted.
func TestKeysEncryptedAtRest(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "optare.db")
	pem := []byte("-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n")
	db, err := Open(ctx, path, Options{UseKeyFile: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *Tx) error {
		return tx.InsertSigningKey(ctx, SigningKey{ID: "k1", Alg: "RS256", State: KeyActive, PrivateKey: pem, CreatedAt: tx.Now})
	}); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	if err := db.writer.QueryRow("SELECT private_key FROM signing_keys WHERE kid = 'k1'").Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("PRIVATE KEY")) || !bytes.HasPrefix(raw, encPrefix) {
		t.Fatalf("stored private key is not encrypted: %q", raw)
	}
	db.Read(ctx, func(tx *Tx) error {
		keys, err := tx.SigningKeys(ctx)
		if err != nil || len(keys) != 1 || !bytes.Equal(keys[0].PrivateKey, pem) {
			t.Fatalf("read back: %v %v", keys, err)
		}
		return nil
	})
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", KeyFilePath(path), backup} {
		if m := modeOf(t, p); m != 0o600 {
			t.Errorf("%s has mode %o, want 600", filepath.Base(p), m)
		}
	}
	db.Close()

	// The right key file opens it again; a wrong key does not.
	db, err = Open(ctx, path, Options{UseKeyFile: true})
	if err != nil {
		t.Fatalf("reopen with the key file: %v", err)
	}
	db.Close()
	if _, err := Open(ctx, path, Options{EncryptionKey: bytes.Repeat([]byte{7}, 32)}); !errors.Is(err, ErrWrongEncryptionKey) {
		t.Fatalf("wrong key: %v", err)
	}
	// The backup needs the same key.
	if _, err := Open(ctx, backup, Options{EncryptionKey: bytes.Repeat([]byte{7}, 32)}); !errors.Is(err, ErrWrongEncryptionKey) {
		t.Fatalf("backup with a wrong key: %v", err)
	}
	// Without the key file the database is refused, and no new key is made.
	os.Rename(KeyFilePath(path), KeyFilePath(path)+".moved")
	if _, err := Open(ctx, path, Options{UseKeyFile: true}); !errors.Is(err, ErrWrongEncryptionKey) {
		t.Fatalf("missing key file: %v", err)
	}
	if _, err := os.Stat(KeyFilePath(path)); err == nil {
		t.Fatal("a new key file was made for a database encrypted with another")
	}
}

// TestPlainKeysEncryptedOnOpen: keys written before encryption existed are
// encrypted at the first open with a key, and an old 0644 database becomes
// 0600.
func TestPlainKeysEncryptedOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pem := []byte("-----BEGIN PRIVATE KEY-----\nold\n-----END PRIVATE KEY-----\n")
	db.Write(ctx, func(tx *Tx) error {
		return tx.InsertSigningKey(ctx, SigningKey{ID: "old", Alg: "RS256", State: KeyActive, PrivateKey: pem, CreatedAt: tx.Now})
	})
	db.Close()
	os.Chmod(path, 0o644)
	key := bytes.Repeat([]byte{1}, 32)
	db, err = Open(ctx, path, Options{EncryptionKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var raw []byte
	db.writer.QueryRow("SELECT private_key FROM signing_keys").Scan(&raw)
	if !bytes.HasPrefix(raw, encPrefix) {
		t.Fatalf("old key still plain: %q", raw)
	}
	if m := modeOf(t, path); m != 0o600 {
		t.Fatalf("old database mode %o", m)
	}
}

func TestParseEncryptionKey(t *testing.T) {
	for _, ok := range []string{"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"} {
		if _, err := ParseEncryptionKey(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "short", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ=="} {
		if _, err := ParseEncryptionKey(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
