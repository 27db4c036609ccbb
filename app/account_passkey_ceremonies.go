package app

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"optare/store"
)

const (
	actionPasskeyLogin = "auth.passkey"
	purposeRegister    = "register"
	purposeLogin       = "login"
)

var errBadPasskey = &Error{Kind: KindUnauthenticated, Code: "invalid_passkey", Message: "That passkey could not sign you in."}

func checkPasskeyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "Passkey"
	}
	if utf8.RuneCountInString(name) > 64 {
		return "", errInvalid(map[string]string{"name": "Use at most 64 characters."})
	}
	return name, nil
}

// BeginPasskeyRegistration starts "Add a passkey" for the actor: a
// discoverable credential with user verification, excluding the ones they
// have.
func (s *Service) BeginPasskeyRegistration(ctx context.Context, a Actor) (PasskeyCeremony, error) {
	if a.Kind != ActorUser {
		return PasskeyCeremony{}, errForbidden("")
	}
	rp, err := s.relyingParty()
	if err != nil {
		return PasskeyCeremony{}, err
	}
	var pu passkeyUser
	err = s.db.Read(ctx, func(tx *store.Tx) (err error) {
		pu, err = loadPasskeyUser(ctx, tx, a.ID)
		return err
	})
	if err != nil {
		return PasskeyCeremony{}, errInternal("load passkeys: %w", err)
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range pu.creds {
		exclude = append(exclude, c.Descriptor())
	}
	creation, sd, err := rp.BeginRegistration(pu, webauthn.WithAuthenticatorSelection(passkeySelection),
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired), webauthn.WithExclusions(exclude))
	if err != nil {
		return PasskeyCeremony{}, errInternal("begin registration: %w", err)
	}
	return s.saveChallenge(ctx, a.ID, purposeRegister, sd, creation)
}

// FinishPasskeyRegistration checks the browser's answer (the credential as
// JSON) to the ceremony behind handle and keeps the passkey under name.
func (s *Service) FinishPasskeyRegistration(ctx context.Context, a Actor, handle, name string, response []byte) (Passkey, error) {
	if a.Kind != ActorUser {
		return Passkey{}, errForbidden("")
	}
	name, err := checkPasskeyName(name)
	if err != nil {
		return Passkey{}, err
	}
	rp, err := s.relyingParty()
	if err != nil {
		return Passkey{}, err
	}
	// The challenge is spent first, in its own transaction: whatever the
	// answer, it is not accepted twice.
	var ch store.WebAuthnChallenge
	var sd webauthn.SessionData
	err = s.db.Write(ctx, func(tx *store.Tx) (err error) {
		ch, sd, err = takeChallenge(ctx, tx, handle, purposeRegister)
		return err
	})
	if err != nil {
		return Passkey{}, err
	}
	if ch.UserID != a.ID {
		return Passkey{}, errCeremonyExpired
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return Passkey{}, &Error{Kind: KindInvalid, Code: "passkey_invalid", Message: "The browser's answer could not be read.", Err: err}
	}
	var out Passkey
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		pu, err := loadPasskeyUser(ctx, tx, a.ID)
		if err != nil {
			return errInternal("load passkeys: %w", err)
		}
		cred, err := rp.CreateCredential(pu, sd, parsed)
		if err != nil {
			return &Error{Kind: KindInvalid, Code: "passkey_invalid", Message: "The passkey could not be verified.", Err: err}
		}
		blob, err := json.Marshal(cred)
		if err != nil {
			return errInternal("encode passkey: %w", err)
		}
		row := store.Passkey{ID: passkeyID(cred.ID), UserID: a.ID, Name: name, Credential: blob, CreatedAt: tx.Now}
		if err := tx.InsertPasskey(ctx, row); errors.Is(err, store.ErrConflict) {
			return errConflict("passkey_exists", "This passkey is registered already.")
		} else if err != nil {
			return errInternal("insert passkey: %w", err)
		}
		out = passkeyFromRow(row)
		return s.audit(ctx, tx, a, AuditRecord{Action: "mfa.passkey_added", TargetType: "user", TargetID: a.ID, OrgID: a.OrgID,
			Details: map[string]any{"passkey": row.ID, "name": name, "synced": out.Synced}})
	})
	if err == nil {
		s.notify(ctx, a.ID, "a passkey was added ("+name+")")
	}
	return out, err
}

// BeginPasskeyLogin starts "Sign in with a passkey": a discoverable
// ceremony (no email typed), user verification required. The same options
// serve the browser's conditional UI.
func (s *Service) BeginPasskeyLogin(ctx context.Context) (PasskeyCeremony, error) {
	rp, err := s.relyingParty()
	if err != nil {
		return PasskeyCeremony{}, err
	}
	assertion, sd, err := rp.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return PasskeyCeremony{}, errInternal("begin login: %w", err)
	}
	return s.saveChallenge(ctx, "", purposeLogin, sd, assertion)
}

// FinishPasskeyLogin checks a passkey sign-in and returns the account and
// the sign-in's authentication methods. A verified passkey counts as two
// factors. Failures are audited and throttled per address like passwords.
func (s *Service) FinishPasskeyLogin(ctx context.Context, ip, handle string, response []byte) (Account, []string, error) {
	rp, err := s.relyingParty()
	if err != nil {
		return Account{}, nil, err
	}
	var failures int
	err = s.db.Read(ctx, func(tx *store.Tx) (err error) {
		failures, err = tx.CountAudit(ctx, actionPasskeyLogin, OutcomeFailure, "", ip, tx.Now.Add(-LoginWindow))
		return err
	})
	if err != nil {
		return Account{}, nil, errInternal("passkey throttle: %w", err)
	}
	if failures >= LoginMaxPerIP {
		s.recordSignIn("passkey", "throttled")
		return Account{}, nil, errThrottled
	}
	parsed, perr := protocol.ParseCredentialRequestResponseBytes(response)
	var acc Account
	var amr []string
	reason, userID := "", ""
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		_, sd, err := takeChallenge(ctx, tx, handle, purposeLogin)
		if err != nil {
			return err
		}
		if perr != nil {
			reason = "unreadable_response"
			return nil
		}
		var pu passkeyUser
		cred, err := rp.ValidateDiscoverableLogin(func(rawID, userHandle []byte) (webauthn.User, error) {
			row, err := tx.Passkey(ctx, passkeyID(rawID))
			if err != nil {
				return nil, err
			}
			if row.UserID != string(userHandle) {
				return nil, errors.New("user handle does not match the passkey")
			}
			userID = row.UserID
			pu, err = loadPasskeyUser(ctx, tx, row.UserID)
			return pu, err
		}, sd, parsed)
		switch {
		case err != nil:
			reason = "not_verified"
			return nil
		case cred.Authenticator.CloneWarning:
			reason = "sign_count_went_back" // possibly a cloned authenticator
			return nil
		case pu.u.Disabled:
			reason = "user_disabled"
			return nil
		}
		blob, err := json.Marshal(cred)
		if err != nil {
			return errInternal("encode passkey: %w", err)
		}
		if err := tx.UsePasskey(ctx, passkeyID(cred.ID), blob); err != nil {
			return errInternal("record passkey use: %w", err)
		}
		if acc, err = loadAccount(ctx, tx, pu.u.ID); err != nil {
			return errInternal("load account: %w", err)
		}
		amr = amrFor(cred)
		return s.audit(ctx, tx, acc.Actor(ip), AuditRecord{Action: actionPasskeyLogin, TargetType: "user", TargetID: pu.u.ID,
			OrgID: acc.Org.ID, Details: map[string]any{"passkey": passkeyID(cred.ID)}})
	})
	if err != nil {
		return Account{}, nil, err
	}
	if reason != "" {
		s.auditFailure(ctx, Anonymous(ip), AuditRecord{Action: actionPasskeyLogin, TargetType: "user", TargetID: userID,
			Details: map[string]any{"reason": reason}})
		s.recordSignIn("passkey", "failure")
		return Account{}, nil, errBadPasskey
	}
	s.recordSignIn("passkey", "success")
	return acc, amr, nil
}

// ListPasskeys lists the actor's passkeys.
func (s *Service) ListPasskeys(ctx context.Context, a Actor) ([]Passkey, error) {
	if a.Kind != ActorUser {
		return nil, errForbidden("")
	}
	var out []Passkey
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.UserPasskeys(ctx, a.ID)
		for _, r := range rows {
			out = append(out, passkeyFromRow(r))
		}
		return err
	})
	if err != nil {
		return nil, errInternal("list passkeys: %w", err)
	}
	return out, nil
}

// RenamePasskey renames one of the actor's passkeys.
func (s *Service) RenamePasskey(ctx context.Context, a Actor, id, name string) error {
	if a.Kind != ActorUser {
		return errForbidden("")
	}
	name, err := checkPasskeyName(name)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.RenamePasskey(ctx, a.ID, id, name); errors.Is(err, store.ErrNotFound) {
			return errNotFound("Passkey")
		} else if err != nil {
			return errInternal("rename passkey: %w", err)
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "mfa.passkey_renamed", TargetType: "user", TargetID: a.ID, OrgID: a.OrgID,
			Details: map[string]any{"passkey": id, "name": name}})
	})
}

// RemovePasskey removes one of the actor's passkeys, unless it is their
// last way to sign in, or their organization requires a second factor and
// it is the last one.
func (s *Service) RemovePasskey(ctx context.Context, a Actor, id string) error {
	if a.Kind != ActorUser {
		return errForbidden("")
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, a.ID)
		if err != nil {
			return errInternal("read user: %w", err)
		}
		st, err := mfaStatus(ctx, tx, a.ID)
		if err != nil {
			return errInternal("read second factors: %w", err)
		}
		if _, err := tx.Passkey(ctx, id); errors.Is(err, store.ErrNotFound) {
			return errNotFound("Passkey")
		} else if err != nil {
			return errInternal("read passkey: %w", err)
		}
		if st.Passkeys == 1 && u.PasswordHash == "" {
			return errConflict("last_sign_in", "This passkey is your only way to sign in: set a password first.")
		}
		if st.Passkeys == 1 && st.OrgRequires && !st.TOTP {
			return errConflict("mfa_required", "Your organization requires a second factor: add another before removing this passkey.")
		}
		if err := tx.DeletePasskey(ctx, a.ID, id); errors.Is(err, store.ErrNotFound) {
			return errNotFound("Passkey")
		} else if err != nil {
			return errInternal("delete passkey: %w", err)
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "mfa.passkey_removed", TargetType: "user", TargetID: a.ID, OrgID: a.OrgID,
			Details: map[string]any{"passkey": id}})
	})
	if err == nil {
		s.notify(ctx, a.ID, "a passkey was removed")
	}
	return err
}
