package app

import (
	"context"
	"errors"

	"optare/store"
)

// Self-service password resets ("Forgot password?"): only with email, and
// throttled so the form can flood neither an inbox nor the mail server.
const (
	actionResetRequested = "auth.password_reset_requested"
	ResetMaxPerAccount   = 3
	ResetMaxPerIP        = 10
)

var errNoMail = &Error{Kind: KindUnavailable, Code: "mail_unavailable",
	Message: "This server cannot send email. Ask your administrator for a password-reset link."}

// RequestPasswordReset emails a one-time password link to email if it
// belongs to an enabled account. It answers the same whether or not it
// does, so the form reveals nothing about which accounts exist; only too
// many requests from one address get a different answer.
func (s *Service) RequestPasswordReset(ctx context.Context, ip, email string) error {
	if s.mailer == nil {
		return errNoMail
	}
	f := fields{}
	email, key := normalizeEmail(f, "email", email)
	if err := f.err(); err != nil {
		return err
	}
	var user store.User
	found, throttled, accountFull := false, false, false
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		since := tx.Now.Add(-LoginWindow)
		n, err := tx.CountAudit(ctx, actionResetRequested, OutcomeSuccess, "", ip, since)
		if err != nil {
			return err
		}
		throttled = n >= ResetMaxPerIP
		user, err = tx.UserByEmailKey(ctx, key)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		m, err := tx.CountAudit(ctx, actionResetRequested, OutcomeSuccess, user.ID, "", since)
		accountFull = m >= ResetMaxPerAccount
		return err
	})
	if err != nil {
		return errInternal("reset lookup: %w", err)
	}
	if throttled {
		return errThrottled
	}
	actor := Anonymous(ip)
	actor.Label = email
	var link PasswordLink
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		rec := AuditRecord{Action: actionResetRequested, TargetType: "user", TargetID: user.ID, OrgID: user.PrimaryOrgID,
			Details: map[string]any{"email": email}}
		switch {
		case !found:
			rec.Details["sent"], rec.TargetID = false, ""
		case user.Disabled || accountFull:
			rec.Details["sent"] = false
		default:
			var err error
			if link, err = s.insertPasswordLink(ctx, tx, actor, user.ID, user.PrimaryOrgID, purposeReset, ResetLinkLifetime); err != nil {
				return err
			}
			rec.Details["sent"] = true
		}
		// Counted per address with or without an account behind it.
		return s.audit(ctx, tx, actor, rec)
	})
	if err != nil {
		return err
	}
	if link.Token != "" {
		s.sendMail(ctx, "reset", user.Email, map[string]string{"Name": user.Name, "Email": user.Email, "URL": s.PasswordLinkURL(link.Token)})
	}
	return nil
}
