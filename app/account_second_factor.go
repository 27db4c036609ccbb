package app

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"

	"optare/store"
)

// Authentication methods (RFC 8176), as the ID token's amr names them.
const (
	AMRPassword = "pwd"
	AMROTP      = "otp"
	AMRHardware = "hwk"
	AMRSoftware = "swk"
	AMRMFA      = "mfa"
)

// Second-factor methods at sign-in.
const (
	FactorTOTP     = "totp"
	FactorRecovery = "recovery"
)

const (
	actionSecondFactor = "auth.second_factor"
	recoveryCodeCount  = 10
)

var errBadSecondFactor = &Error{Kind: KindUnauthenticated, Code: "invalid_code", Message: "That code is not right, or was used already."}

// MFAStatus is where a user stands with second factors.
type MFAStatus struct {
	TOTP          bool // an authenticator app is confirmed
	Passkeys      int  // passkeys registered
	RecoveryLeft  int  // unused recovery codes
	OrgRequires   bool // the user's organization requires a second factor
	SecondFactors bool // any second factor is enrolled
}

// MFAStatus reads the second factors of a user (their own, or any for an
// operator admin).
func (s *Service) MFAStatus(ctx context.Context, a Actor, userID string) (MFAStatus, error) {
	if !(a.Kind == ActorUser && a.ID == userID) && !a.IsOperatorAdmin() {
		return MFAStatus{}, errForbidden("")
	}
	var st MFAStatus
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		st, err = mfaStatus(ctx, tx, userID)
		return err
	})
	if err != nil {
		return MFAStatus{}, errInternal("read mfa status: %w", err)
	}
	return st, nil
}

func mfaStatus(ctx context.Context, tx *store.Tx, userID string) (MFAStatus, error) {
	var st MFAStatus
	u, err := tx.User(ctx, userID)
	if err != nil {
		return st, err
	}
	if st.OrgRequires, err = tx.OrgRequiresMFA(ctx, u.PrimaryOrgID); err != nil {
		return st, err
	}
	row, err := tx.UserTOTP(ctx, userID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return st, err
	}
	st.TOTP = err == nil && row.Confirmed
	if st.Passkeys, err = tx.CountPasskeys(ctx, userID); err != nil {
		return st, err
	}
	if st.RecoveryLeft, err = tx.UnusedRecoveryCodes(ctx, userID); err != nil {
		return st, err
	}
	st.SecondFactors = st.TOTP || st.Passkeys > 0
	return st, nil
}

// SignInFactors tells the second step of a sign-in which factors the user
// can offer. Only doors holding a sign-in whose password was right call it.
func (s *Service) SignInFactors(ctx context.Context, userID string) (MFAStatus, error) {
	return s.MFAStatus(ctx, CLI(), userID)
}

// VerifySecondFactor checks the second step of a sign-in whose password
// step (Login) passed: a code from the authenticator app (FactorTOTP) or a
// recovery code (FactorRecovery), each accepted once. It returns the
// account and the sign-in's authentication methods. Failures are audited
// and throttled like passwords.
func (s *Service) VerifySecondFactor(ctx context.Context, ip, userID, method, code string) (Account, []string, error) {
	code = normalizeDigits(code)
	if code == "" {
		return Account{}, nil, errInvalid(map[string]string{"code": "Enter the code."})
	}
	if method != FactorTOTP && method != FactorRecovery {
		return Account{}, nil, errInvalid(map[string]string{"method": "Choose an authenticator app or a recovery code."})
	}
	var user store.User
	throttled := false
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if user, err = tx.User(ctx, userID); err != nil {
			return err
		}
		// Per account, like passwords: the password step already passed, so
		// there is always an account, and other sign-ins from the same
		// address are not held up.
		since := tx.Now.Add(-LoginWindow)
		last, err := tx.LastAuditTime(ctx, actionSecondFactor, OutcomeSuccess, userID)
		if err != nil {
			return err
		}
		m, err := tx.CountAudit(ctx, actionSecondFactor, OutcomeFailure, userID, "", maxTime(since, last))
		throttled = m >= LoginMaxPerAccount
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Account{}, nil, errBadSecondFactor
	}
	if err != nil {
		return Account{}, nil, errInternal("second factor lookup: %w", err)
	}
	actor := Actor{Kind: ActorUser, ID: user.ID, Label: user.Email, IP: ip, OrgID: user.PrimaryOrgID}
	rec := AuditRecord{Action: actionSecondFactor, TargetType: "user", TargetID: user.ID, OrgID: user.PrimaryOrgID,
		Details: map[string]any{"method": method}}
	if throttled {
		s.auditFailure(ctx, actor, AuditRecord{Action: actionLoginThrottle, TargetType: "user", TargetID: user.ID,
			OrgID: user.PrimaryOrgID, Details: map[string]any{"method": method}})
		s.recordSignIn(method, "throttled")
		return Account{}, nil, errThrottled
	}
	if user.Disabled {
		s.auditFailure(ctx, actor, withReason(rec, "user_disabled"))
		return Account{}, nil, errBadSecondFactor
	}
	var acc Account
	amr := []string{AMRPassword, AMROTP, AMRMFA}
	reason := ""
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		switch method {
		case FactorTOTP:
			if s.sealer == nil {
				return errNoSealer
			}
			row, err := tx.UserTOTP(ctx, user.ID)
			if errors.Is(err, store.ErrNotFound) || (err == nil && !row.Confirmed) {
				reason = "no_totp"
				return nil
			} else if err != nil {
				return errInternal("read totp: %w", err)
			}
			step, ok, err := s.matchTOTP(row, user.ID, code, tx.Now)
			if err != nil {
				return err
			}
			if !ok {
				reason = "wrong_code" // wrong, or replayed: the step was used
				return nil
			}
			if err := tx.UseTOTPStep(ctx, user.ID, step, false); errors.Is(err, store.ErrNotFound) {
				reason = "replayed_code"
				return nil
			} else if err != nil {
				return errInternal("use totp step: %w", err)
			}
		case FactorRecovery:
			err := tx.UseRecoveryCode(ctx, user.ID, hashSecret(normalizeRecoveryCode(code)))
			if errors.Is(err, store.ErrNotFound) {
				reason = "wrong_recovery_code"
				return nil
			} else if err != nil {
				return errInternal("use recovery code: %w", err)
			}
			left, err := tx.UnusedRecoveryCodes(ctx, user.ID)
			if err != nil {
				return errInternal("count recovery codes: %w", err)
			}
			if err := s.audit(ctx, tx, actor, AuditRecord{Action: "mfa.recovery_code_used", TargetType: "user",
				TargetID: user.ID, OrgID: user.PrimaryOrgID, Details: map[string]any{"remaining": left}}); err != nil {
				return err
			}
		}
		var err error
		if acc, err = loadAccount(ctx, tx, user.ID); err != nil {
			return errInternal("load account: %w", err)
		}
		return s.audit(ctx, tx, acc.Actor(ip), rec)
	})
	if err != nil {
		return Account{}, nil, err
	}
	if reason != "" {
		s.auditFailure(ctx, actor, withReason(rec, reason))
		s.recordSignIn(method, "failure")
		return Account{}, nil, errBadSecondFactor
	}
	s.recordSignIn(method, "success")
	return acc, amr, nil
}

func withReason(r AuditRecord, reason string) AuditRecord {
	d := map[string]any{"reason": reason}
	for k, v := range r.Details {
		d[k] = v
	}
	r.Details = d
	return r
}

// RegenerateRecoveryCodes replaces the actor's recovery codes with ten new
// ones, shown once; the old ones stop working. It needs a second factor.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, a Actor) ([]string, error) {
	if a.Kind != ActorUser {
		return nil, errForbidden("")
	}
	var codes []string
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		has, err := tx.HasSecondFactor(ctx, a.ID)
		if err != nil {
			return errInternal("read second factors: %w", err)
		}
		if !has {
			return errConflict("no_second_factor", "Set up an authenticator app first: recovery codes stand in for it.")
		}
		if codes, err = s.replaceRecoveryCodes(ctx, tx, a.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "mfa.recovery_codes_regenerated", TargetType: "user", TargetID: a.ID, OrgID: a.OrgID})
	})
	return codes, err
}

// replaceRecoveryCodes makes ten new codes of 80 random bits each (so a
// SHA-256 hash is enough at rest) and stores their hashes.
func (s *Service) replaceRecoveryCodes(ctx context.Context, tx *store.Tx, userID string) ([]string, error) {
	codes := make([]string, recoveryCodeCount)
	hashes := make([]string, recoveryCodeCount)
	for i := range codes {
		var b [10]byte
		rand.Read(b[:])
		raw := idEncoding.EncodeToString(b[:]) // 16 characters
		codes[i] = raw[0:4] + "-" + raw[4:8] + "-" + raw[8:12] + "-" + raw[12:16]
		hashes[i] = hashSecret(raw)
	}
	if err := tx.ReplaceRecoveryCodes(ctx, userID, hashes); err != nil {
		return nil, errInternal("store recovery codes: %w", err)
	}
	return codes, nil
}

// normalizeRecoveryCode accepts a recovery code however it was typed: any
// case, with or without the dashes and spaces.
func normalizeRecoveryCode(code string) string {
	return strings.ToLower(normalizeDigits(code))
}
