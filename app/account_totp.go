package app

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"image/png"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"optare/store"
)

// Authenticator-app codes: RFC 6238 with the parameters every app supports
// (SHA-1, six digits, 30 seconds), one step of drift either way.
const (
	totpPeriod = 30
	totpSkew   = 1
	// totpPendingFor is how long a shown, unconfirmed secret stays the one
	// the setup page shows (the user may have scanned it already).
	totpPendingFor = 15 * time.Minute
)

// TOTPSetup is what "Set up an authenticator app" shows: the secret as text,
// its otpauth:// URL and the same URL as a QR code (PNG).
type TOTPSetup struct {
	Secret string
	URL    string
	QRPNG  []byte
}

var errNoSealer = &Error{Kind: KindUnavailable, Code: "encryption_key_missing",
	Message: "Authenticator apps need an encryption key, and this server has none configured."}

var errTOTPExists = errConflict("totp_exists", "An authenticator app is already set up. Remove it first to set up another.")

// BeginTOTPSetup gives the actor a new authenticator-app secret to scan,
// stored sealed and unconfirmed until ConfirmTOTP. Asked again within a few
// minutes, it shows the same secret.
func (s *Service) BeginTOTPSetup(ctx context.Context, a Actor) (TOTPSetup, error) {
	if a.Kind != ActorUser {
		return TOTPSetup{}, errForbidden("")
	}
	if s.sealer == nil {
		return TOTPSetup{}, errNoSealer
	}
	var row store.TOTP
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		row, err = tx.UserTOTP(ctx, a.ID)
		return err
	})
	switch {
	case err == nil && row.Confirmed:
		return TOTPSetup{}, errTOTPExists
	case err == nil && s.now().Sub(row.CreatedAt) < totpPendingFor:
		secret, err := s.sealer.Open(row.SecretSealed, []byte(a.ID))
		if err != nil {
			return TOTPSetup{}, errInternal("open totp secret of %s: %w", a.ID, err)
		}
		return s.totpSetup(a.Label, string(secret))
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return TOTPSetup{}, errInternal("read totp: %w", err)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Optare", AccountName: a.Label, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return TOTPSetup{}, errInternal("generate totp secret: %w", err)
	}
	sealed, err := s.sealer.Seal([]byte(key.Secret()), []byte(a.ID))
	if err != nil {
		return TOTPSetup{}, errInternal("seal totp secret: %w", err)
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.PutPendingTOTP(ctx, store.TOTP{UserID: a.ID, SecretSealed: sealed, CreatedAt: tx.Now})
	})
	if errors.Is(err, store.ErrConflict) {
		return TOTPSetup{}, errTOTPExists
	}
	if err != nil {
		return TOTPSetup{}, errInternal("store totp secret: %w", err)
	}
	return s.totpSetup(a.Label, key.Secret())
}

// totpSetup renders a secret as its URL and QR code.
func (s *Service) totpSetup(account, secret string) (TOTPSetup, error) {
	q := url.Values{"issuer": {"Optare"}, "secret": {secret}, "period": {fmt.Sprint(totpPeriod)},
		"digits": {"6"}, "algorithm": {"SHA1"}}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/Optare:" + account, RawQuery: q.Encode()}
	key, err := otp.NewKeyFromURL(u.String())
	if err != nil {
		return TOTPSetup{}, errInternal("totp url: %w", err)
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return TOTPSetup{}, errInternal("totp qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return TOTPSetup{}, errInternal("totp qr png: %w", err)
	}
	return TOTPSetup{Secret: secret, URL: key.URL(), QRPNG: buf.Bytes()}, nil
}

// ConfirmTOTP turns the pending secret on when code is valid for it, and
// returns the user's new recovery codes (shown once). The code counts as
// used.
func (s *Service) ConfirmTOTP(ctx context.Context, a Actor, code string) ([]string, error) {
	if a.Kind != ActorUser {
		return nil, errForbidden("")
	}
	if s.sealer == nil {
		return nil, errNoSealer
	}
	code = normalizeDigits(code)
	if code == "" {
		return nil, errInvalid(map[string]string{"code": "Enter the six-digit code from your app."})
	}
	var codes []string
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.UserTOTP(ctx, a.ID)
		if errors.Is(err, store.ErrNotFound) {
			return errConflict("totp_not_started", "Start the set-up again: no authenticator app is waiting to be confirmed.")
		}
		if err != nil {
			return errInternal("read totp: %w", err)
		}
		if row.Confirmed {
			return errTOTPExists
		}
		step, ok, err := s.matchTOTP(row, a.ID, code, tx.Now)
		if err != nil {
			return err
		}
		if !ok {
			return errInvalid(map[string]string{"code": "That code is not right. Check the time on your device and try the newest code."})
		}
		if err := tx.UseTOTPStep(ctx, a.ID, step, true); err != nil {
			return errInternal("confirm totp: %w", err)
		}
		if codes, err = s.replaceRecoveryCodes(ctx, tx, a.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "mfa.totp_enrolled", TargetType: "user", TargetID: a.ID, OrgID: a.OrgID})
	})
	if err == nil {
		s.notify(ctx, a.ID, "an authenticator app was set up")
	}
	return codes, err
}

// RemoveTOTP turns the actor's authenticator app off, with the recovery
// codes that went with it. An organization that requires a second factor
// refuses.
func (s *Service) RemoveTOTP(ctx context.Context, a Actor) error {
	if a.Kind != ActorUser {
		return errForbidden("")
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, a.ID)
		if err != nil {
			return errInternal("read user: %w", err)
		}
		required, err := tx.OrgRequiresMFA(ctx, u.PrimaryOrgID)
		if err != nil {
			return errInternal("read mfa policy: %w", err)
		}
		row, err := tx.UserTOTP(ctx, a.ID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !row.Confirmed) {
			return errNotFound("Authenticator app")
		} else if err != nil {
			return errInternal("read totp: %w", err)
		}
		passkeys, err := tx.CountPasskeys(ctx, a.ID)
		if err != nil {
			return errInternal("count passkeys: %w", err)
		}
		if required && passkeys == 0 {
			return errConflict("mfa_required", "Your organization requires a second factor, so the authenticator app cannot be removed.")
		}
		if err := tx.DeleteTOTP(ctx, a.ID); err != nil {
			return errInternal("delete totp: %w", err)
		}
		if err := tx.DeleteRecoveryCodes(ctx, a.ID); err != nil {
			return errInternal("delete recovery codes: %w", err)
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "mfa.totp_removed", TargetType: "user", TargetID: a.ID, OrgID: a.OrgID})
	})
	if err == nil {
		s.notify(ctx, a.ID, "the authenticator app was removed")
	}
	return err
}

// matchTOTP finds the time step, within the allowed drift and after the
// last one used, whose code is code.
func (s *Service) matchTOTP(row store.TOTP, userID, code string, now time.Time) (int64, bool, error) {
	secret, err := s.sealer.Open(row.SecretSealed, []byte(userID))
	if err != nil {
		return 0, false, errInternal("open totp secret of %s: %w", userID, err)
	}
	current := now.Unix() / totpPeriod
	for step := current - totpSkew; step <= current+totpSkew; step++ {
		if step <= row.LastStep {
			continue // accepted once already, or older than one that was
		}
		want, err := totp.GenerateCodeCustom(string(secret), time.Unix(step*totpPeriod, 0),
			totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, false, errInternal("totp code: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true, nil
		}
	}
	return 0, false, nil
}

// normalizeDigits drops the spaces and dashes people type inside codes.
func normalizeDigits(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(code))
}
