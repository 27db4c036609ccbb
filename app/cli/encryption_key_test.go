package cli

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoadSealer(t *testing.T) {
	t.Setenv(encryptionKeyEnv, "")
	db := filepath.Join(t.TempDir(), "optare.db")
	first, src, err := loadSealer(db)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(db + ".key"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v (source %s)", fi, err, src)
	}
	sealed, err := first.Seal([]byte("secret"), []byte("user_1"))
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := loadSealer(db)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := again.Open(sealed, []byte("user_1")); err != nil || string(out) != "secret" {
		t.Fatalf("restart does not open: %q %v", out, err)
	}
	if _, err := again.Open(sealed, []byte("user_2")); err == nil {
		t.Fatal("sealed value opened for another user")
	}

	t.Setenv(encryptionKeyEnv, "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	env, src, err := loadSealer(db)
	if err != nil || src != encryptionKeyEnv {
		t.Fatalf("env key: %v %s", err, src)
	}
	if _, err := env.Open(sealed, []byte("user_1")); err == nil {
		t.Fatal("another key opened the value")
	}
	t.Setenv(encryptionKeyEnv, "too-short")
	if _, _, err := loadSealer(db); err == nil {
		t.Fatal("short key accepted")
	}
}
