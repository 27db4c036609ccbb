package cli

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"optare/app"
)

// encryptionKeyEnv names the key-encryption key in the environment.
const encryptionKeyEnv = "OPTARE_ENCRYPTION_KEY"

// loadSealer finds the instance's key-encryption key: OPTARE_ENCRYPTION_KEY
// (32 bytes as base64 or hex), else the file DB.key beside the database,
// made (mode 0600) on first start. Without it authenticator-app secrets
// could not be kept at rest.
func loadSealer(dbPath string) (app.Sealer, string, error) {
	if v := strings.TrimSpace(os.Getenv(encryptionKeyEnv)); v != "" {
		key, err := decodeKey(v)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", encryptionKeyEnv, err)
		}
		s, err := app.NewAESSealer(key)
		return s, encryptionKeyEnv, err
	}
	path := dbPath + ".key"
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, 32)
		rand.Read(key)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, "", fmt.Errorf("create encryption key file: %w", err)
		}
		if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
			f.Close()
			return nil, "", fmt.Errorf("write encryption key file: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, "", fmt.Errorf("write encryption key file: %w", err)
		}
		s, err := app.NewAESSealer(key)
		return s, path + " (new)", err
	}
	if err != nil {
		return nil, "", fmt.Errorf("read encryption key file: %w", err)
	}
	key, err := decodeKey(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, "", fmt.Errorf("encryption key file %s: %w", path, err)
	}
	s, err := app.NewAESSealer(key)
	return s, path, err
}

// decodeKey reads 32 bytes written as base64 (standard or URL) or hex.
func decodeKey(v string) ([]byte, error) {
	for _, dec := range []func(string) ([]byte, error){
		base64.StdEncoding.DecodeString, base64.RawStdEncoding.DecodeString,
		base64.URLEncoding.DecodeString, base64.RawURLEncoding.DecodeString, hex.DecodeString,
	} {
		if b, err := dec(v); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("want 32 bytes as base64 or hex (openssl rand -base64 32)")
}
