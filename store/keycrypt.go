package store

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Signing keys' private parts are encrypted at rest with AES-256-GCM under a
// key-encryption key that never enters the database: from
// OPTARE_ENCRYPTION_KEY, or from a key file beside the database (created
// 0600 on first start). A copy of the database — a backup, a stolen file —
// is then useless for minting tokens without the key.

// encPrefix marks an encrypted private key; anything else is a PEM written
// before encryption existed (or by a test without a key).
var encPrefix = []byte("optare-enc-v1:")

// ErrWrongEncryptionKey reports that the encryption key does not open the
// signing keys stored in the database.
var ErrWrongEncryptionKey = errors.New("the encryption key does not open the signing keys stored in the database")

// KeyFilePath is where the encryption key of the database at dbPath lives
// when OPTARE_ENCRYPTION_KEY is not set.
func KeyFilePath(dbPath string) string { return dbPath + ".key" }

// ParseEncryptionKey reads a 32-byte key given as base64 (standard or URL
// alphabet, padded or not) or as 64 hex digits.
func ParseEncryptionKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("an encryption key is 32 random bytes in base64 or hex (openssl rand -base64 32)")
}

// newAEAD builds the cipher of a 32-byte key.
func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealKey encrypts a private key, bound to its kid so rows cannot be
// swapped. Without a key-encryption key the PEM is stored as is.
func sealKey(aead cipher.AEAD, kid string, pem []byte) ([]byte, error) {
	if aead == nil || bytes.HasPrefix(pem, encPrefix) {
		return pem, nil
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("encrypt signing key: %w", err)
	}
	out := append(bytes.Clone(encPrefix), nonce...)
	return aead.Seal(out, nonce, pem, []byte(kid)), nil
}

// openKey decrypts what sealKey wrote; a plain PEM passes through.
func openKey(aead cipher.AEAD, kid string, stored []byte) ([]byte, error) {
	if !bytes.HasPrefix(stored, encPrefix) {
		return stored, nil
	}
	if aead == nil {
		return nil, fmt.Errorf("signing key %s is encrypted and no encryption key was given: %w", kid, ErrWrongEncryptionKey)
	}
	body := stored[len(encPrefix):]
	if len(body) < aead.NonceSize() {
		return nil, fmt.Errorf("signing key %s: %w", kid, ErrWrongEncryptionKey)
	}
	pem, err := aead.Open(nil, body[:aead.NonceSize()], body[aead.NonceSize():], []byte(kid))
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", kid, ErrWrongEncryptionKey)
	}
	return pem, nil
}

// resolveKey picks the key-encryption key: the given one, else the key file
// beside the database, created when the database holds no encrypted key
// yet. A database whose keys are encrypted but whose key is missing is
// refused rather than given a new key it cannot use.
func (db *DB) resolveKey(ctx context.Context, opt Options) ([]byte, string, error) {
	if len(opt.EncryptionKey) > 0 {
		return opt.EncryptionKey, "OPTARE_ENCRYPTION_KEY", nil
	}
	if !opt.UseKeyFile {
		return nil, "", nil
	}
	if db.engine == postgresEngine {
		// Replicas share the database, not a folder: there is no file
		// beside a URL, so the key must be given (OPTARE_ENCRYPTION_KEY,
		// the same on every replica). Without it keys are stored plain,
		// and a database whose keys are encrypted is refused (the caller).
		return nil, "", nil
	}
	path := KeyFilePath(db.path)
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := ParseEncryptionKey(string(b))
		if err != nil {
			return nil, "", fmt.Errorf("key file %s: %w", path, err)
		}
		return key, path, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, "", fmt.Errorf("read key file: %w", err)
	}
	encrypted, err := db.encryptedKeys(ctx)
	if err != nil {
		return nil, "", err
	}
	if encrypted > 0 {
		return nil, "", fmt.Errorf("the signing keys in %s are encrypted but there is no key: set OPTARE_ENCRYPTION_KEY or restore %s: %w", db.path, path, ErrWrongEncryptionKey)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, "", fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, "", fmt.Errorf("write key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, "", fmt.Errorf("write key file: %w", err)
	}
	return key, path, nil
}

// encryptedKeys counts the signing keys stored encrypted.
func (db *DB) encryptedKeys(ctx context.Context) (int, error) {
	var n int
	err := db.writer.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM signing_keys WHERE substr(private_key, 1, ?) = ?"),
		len(encPrefix), encPrefix).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("read signing keys: %w", err)
	}
	return n, nil
}

// setupEncryption resolves the key, proves it opens every stored signing
// key and encrypts any key still stored as plain PEM.
func (db *DB) setupEncryption(ctx context.Context, opt Options) error {
	if opt.rawKeys {
		return nil
	}
	key, source, err := db.resolveKey(ctx, opt)
	if err != nil {
		return err
	}
	if key == nil {
		n, err := db.encryptedKeys(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("the signing keys in %s are encrypted and no encryption key was given: %w", db.path, ErrWrongEncryptionKey)
		}
		return nil
	}
	if db.kek, err = newAEAD(key); err != nil {
		return fmt.Errorf("encryption key: %w", err)
	}
	rows, err := db.writer.QueryContext(ctx, "SELECT kid, private_key FROM signing_keys")
	if err != nil {
		return fmt.Errorf("read signing keys: %w", err)
	}
	plain := map[string][]byte{}
	for rows.Next() {
		var kid string
		var stored []byte
		if err := rows.Scan(&kid, &stored); err != nil {
			rows.Close()
			return err
		}
		pem, err := openKey(db.kek, kid, stored)
		if err != nil {
			rows.Close()
			return fmt.Errorf("the encryption key from %s does not open the signing keys in %s (give the key this database was created with): %w", source, db.path, ErrWrongEncryptionKey)
		}
		if !bytes.HasPrefix(stored, encPrefix) {
			plain[kid] = pem
		}
	}
	rows.Close()
	for kid, pem := range plain {
		sealed, err := sealKey(db.kek, kid, pem)
		if err != nil {
			return err
		}
		if _, err := db.writer.ExecContext(ctx, db.q("UPDATE signing_keys SET private_key = ? WHERE kid = ?"), sealed, kid); err != nil {
			return fmt.Errorf("encrypt stored signing key %s: %w", kid, err)
		}
	}
	return nil
}
