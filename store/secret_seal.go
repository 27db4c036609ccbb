package store

import (
	"bytes"
	"crypto/cipher"
	"errors"
)

// SecretSealer encrypts small secrets other than signing keys (such as
// authenticator-app secrets) with the same key-encryption key
// and the same format as the signing keys, bound to an owner (additional
// data) so a sealed value copied to another row does not open.
type SecretSealer struct{ aead cipher.AEAD }

// SecretSealer returns the database's sealer, or nil when the database was
// opened without a key-encryption key.
func (db *DB) SecretSealer() *SecretSealer {
	if db.kek == nil {
		return nil
	}
	return &SecretSealer{aead: db.kek}
}

// Seal encrypts plaintext for owner.
func (s *SecretSealer) Seal(plaintext, owner []byte) ([]byte, error) {
	if bytes.HasPrefix(plaintext, encPrefix) {
		return nil, errors.New("seal: value looks sealed already")
	}
	return sealKey(s.aead, string(owner), plaintext)
}

// Open decrypts what Seal wrote for owner.
func (s *SecretSealer) Open(sealed, owner []byte) ([]byte, error) {
	if !bytes.HasPrefix(sealed, encPrefix) {
		return nil, ErrWrongEncryptionKey
	}
	return openKey(s.aead, string(owner), sealed)
}
