package app

import (
	"context"
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
