package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"optare/store"
)

// Login throttling: 5 failures per account in 15 minutes, and 20 per IP for
// emails that match no account. Throttling the failing thing means a
// correct password for an account that is not itself under attack is never
// refused because other sign-ins failed from the same address (a whole
// office behind one NAT or proxy). Counting audit entries keeps one source
// of truth that survives restarts and works unchanged with several servers
// on one database.
const (
	LoginWindow         = 15 * time.Minute
	LoginMaxPerAccount  = 5
	LoginMaxPerIP       = 20
	actionLogin         = "auth.login"
	actionLoginThrottle = "auth.login_throttled"
)

// errBadLogin is the one answer for a wrong password, an unknown email and a
// disabled account, so sign-in reveals nothing about which accounts exist.
var errBadLogin = &Error{Kind: KindUnauthenticated, Code: "invalid_credentials", Message: "Incorrect email or password."}

// Login checks an email and password from ip and returns the account.
func (s *Service) Login(ctx context.Context, ip, email, password string) (Account, error) {
	f := fields{}
	email = strings.TrimSpace(email)
	if email == "" {
		f.add("email", "Enter your email address.")
	}
	if password == "" {
		f.add("password", "Enter your password.")
	}
	if err := f.err(); err != nil {
		return Account{}, err
	}
	key := strings.ToLower(email)
	var user store.User
	found := false
	var throttled error
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		since := tx.Now.Add(-LoginWindow)
		var err error
		user, err = tx.UserByEmailKey(ctx, key)
		if errors.Is(err, store.ErrNotFound) {
			n, err := tx.CountAudit(ctx, actionLogin, OutcomeFailure, store.UnknownTarget, ip, since)
			if err != nil {
				return err
			}
			if n >= LoginMaxPerIP {
				throttled = errThrottled
			}
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		// Failures before the last success do not count against the account.
		last, err := tx.LastAuditTime(ctx, actionLogin, OutcomeSuccess, user.ID)
		if err != nil {
			return err
		}
		n, err := tx.CountAudit(ctx, actionLogin, OutcomeFailure, user.ID, "", maxTime(since, last))
		if err != nil {
			return err
		}
		if n >= LoginMaxPerAccount {
			throttled = errThrottled
		}
		return nil
	})
	if err != nil {
		return Account{}, errInternal("login lookup: %w", err)
	}
	actor := Anonymous(ip)
	actor.Label = email
	if throttled != nil {
		s.auditFailure(ctx, actor, AuditRecord{Action: actionLoginThrottle, TargetType: "user", TargetID: user.ID,
			Details: map[string]any{"email": email}})
		s.recordSignIn("password", "throttled")
		return Account{}, throttled
	}
	hash := s.unknownUserHash()
	if found && user.PasswordHash != "" {
		hash = user.PasswordHash
	}
	ok, err := verifyPassword(hash, password)
	if err != nil {
		return Account{}, errInternal("verify password of %s: %w", user.ID, err)
	}
	reason := ""
	switch {
	case !found:
		reason = "unknown_email"
	case user.PasswordHash == "":
		reason = "no_password_yet" // invited, link not used yet
	case !ok:
		reason = "wrong_password"
	case user.Disabled:
		reason = "user_disabled"
	}
	if reason != "" {
		s.auditFailure(ctx, actor, AuditRecord{Action: actionLogin, TargetType: "user", TargetID: user.ID,
			OrgID: user.PrimaryOrgID, Details: map[string]any{"email": email, "reason": reason}})
		s.recordSignIn("password", "failure")
		return Account{}, errBadLogin
	}
	var acc Account
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		acc, err = loadAccount(ctx, tx, user.ID)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, acc.Actor(ip), AuditRecord{Action: actionLogin, TargetType: "user", TargetID: user.ID, OrgID: acc.Org.ID})
	})
	if err != nil {
		return Account{}, errInternal("record login: %w", err)
	}
	s.recordSignIn("password", "success")
	return acc, nil
}

// errThrottled refuses sign-in attempts while an account or address is
// over its failure budget.
var errThrottled = &Error{Kind: KindRateLimited, Code: "too_many_attempts", RetryAfter: LoginWindow,
	Message: fmt.Sprintf("Too many failed sign-in attempts. Try again in %d minutes.", int(LoginWindow.Minutes()))}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
