package app

import (
	"context"
	"errors"
	"net/url"
	"time"

	"optare/store"
)

// Email verification: a link sent to the address proves the user reads it,
// so the email_verified claim means something.
const (
	EmailVerificationLifetime = 24 * time.Hour
	actionVerificationSent    = "user.email_verification_sent"
	verificationsPerWindow    = 3
)

// SendEmailVerification emails the actor a link that verifies their
// address. At most three in 15 minutes.
func (s *Service) SendEmailVerification(ctx context.Context, a Actor) error {
	if a.Kind != ActorUser {
		return errForbidden("")
	}
	if s.mailer == nil {
		return errNoMail
	}
	token := newSecret("")
	var u store.User
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if u, err = tx.User(ctx, a.ID); err != nil {
			return errInternal("read user: %w", err)
		}
		if u.EmailVerified {
			return errConflict("email_verified", "Your email address is verified already.")
		}
		n, err := tx.CountAudit(ctx, actionVerificationSent, OutcomeSuccess, a.ID, "", tx.Now.Add(-LoginWindow))
		if err != nil {
			return errInternal("count verifications: %w", err)
		}
		if n >= verificationsPerWindow {
			return &Error{Kind: KindRateLimited, Code: "too_many_requests", RetryAfter: LoginWindow,
				Message: "We sent several links already. Check your inbox, or try again in 15 minutes."}
		}
		err = tx.InsertEmailVerification(ctx, store.EmailVerification{TokenHash: hashSecret(token), UserID: u.ID, Email: u.Email,
			CreatedAt: tx.Now, ExpiresAt: tx.Now.Add(EmailVerificationLifetime)})
		if err != nil {
			return errInternal("insert verification: %w", err)
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: actionVerificationSent, TargetType: "user", TargetID: u.ID, OrgID: u.PrimaryOrgID})
	})
	if err != nil {
		return err
	}
	s.sendMail(ctx, "verify", u.Email, map[string]string{"Name": u.Name, "Email": u.Email,
		"URL": s.Issuer() + "/verify-email?" + url.Values{"token": {token}}.Encode()})
	return nil
}

var errBadVerification = &Error{Kind: KindNotFound, Code: "invalid_link", Message: "This link is not valid any more: it was used already or it expired."}

// VerifyEmail uses a verification link. The address must still be the
// user's: a link sent before an address change verifies nothing.
func (s *Service) VerifyEmail(ctx context.Context, ip, token string) (User, error) {
	var u store.User
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		v, err := tx.TakeEmailVerification(ctx, hashSecret(token))
		if errors.Is(err, store.ErrNotFound) {
			return errBadVerification
		}
		if err != nil {
			return errInternal("read verification: %w", err)
		}
		if u, err = tx.User(ctx, v.UserID); err != nil {
			return errInternal("read user: %w", err)
		}
		if u.Email != v.Email || u.Disabled {
			return errBadVerification
		}
		if err := tx.SetEmailVerified(ctx, u.ID); err != nil {
			return errInternal("verify email: %w", err)
		}
		u.EmailVerified = true
		return s.audit(ctx, tx, Actor{Kind: ActorUser, ID: u.ID, Label: u.Email, IP: ip, OrgID: u.PrimaryOrgID},
			AuditRecord{Action: "user.email_verified", TargetType: "user", TargetID: u.ID, OrgID: u.PrimaryOrgID})
	})
	if err != nil {
		return User{}, err
	}
	return userFromRow(u), nil
}
