package app

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	"optare/store"
)

// Sealer encrypts small secrets kept at rest (authenticator-app secrets)
// with the instance's key-encryption key. additionalData binds a sealed
// value to its owner (the user id), so a sealed secret copied to another
// row does not open.
type Sealer interface {
	Seal(plaintext, additionalData []byte) ([]byte, error)
	Open(sealed, additionalData []byte) ([]byte, error)
}

// aesSealer is AES-256-GCM with a random 96-bit nonce prepended to the
// ciphertext, behind a version byte so the format can change later.
type aesSealer struct{ aead cipher.AEAD }

const sealVersion = 1

// NewAESSealer builds a Sealer on a 32-byte key.
func NewAESSealer(key []byte) (Sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("encryption key: want 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	return aesSealer{aead: aead}, nil
}

func (s aesSealer) Seal(plaintext, additionalData []byte) ([]byte, error) {
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return s.aead.Seal(out, out[1:], plaintext, additionalData), nil
}

var errSealed = errors.New("sealed value does not open with this key")

func (s aesSealer) Open(sealed, additionalData []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < 1+n+s.aead.Overhead() || sealed[0] != sealVersion {
		return nil, errSealed
	}
	out, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], additionalData)
	if err != nil {
		return nil, errSealed
	}
	return out, nil
}

// CheckSealer opens one stored authenticator-app secret, so a server given
// the wrong key-encryption key refuses to start instead of failing every
// second-factor sign-in.
func (s *Service) CheckSealer(ctx context.Context) error {
	if s.sealer == nil {
		return nil
	}
	var row store.TOTP
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		row, err = tx.AnyTOTP(ctx)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read a stored secret: %w", err)
	}
	if _, err := s.sealer.Open(row.SecretSealed, []byte(row.UserID)); err != nil {
		return errors.New("it does not open the stored authenticator-app secrets; start with the key this database was used with")
	}
	return nil
}
