package app

import (
	"context"
	"errors"
	"time"

	"optare/store"
)

// Web session lifetimes: an idle session ends after IdleTimeout, any session
// after SessionLifetime, whatever its activity.
const (
	IdleTimeout     = 2 * time.Hour
	SessionLifetime = 12 * time.Hour
	// touchEvery bounds how often a session's last-seen time is written:
	// often enough to be useful, rarely enough to keep page loads read-only.
	touchEvery = 5 * time.Minute
)

// WebSession is one signed-in browser as its user sees it.
type WebSession struct {
	ID         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
}

// OpenSession records a new signed-in browser session for acc and returns its
// id (the OIDC "sid"). The portal door keeps the id in the session cookie's
// data; deleting the row ends the session.
func (s *Service) OpenSession(ctx context.Context, acc Account, ip, userAgent string) (string, error) {
	id := newSecret("")[:22]
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertUserSession(ctx, store.UserSession{ID: id, UserID: acc.User.ID, CreatedAt: tx.Now, LastSeenAt: tx.Now, IP: ip, UserAgent: userAgent})
	})
	if err != nil {
		return "", errInternal("open session: %w", err)
	}
	return id, nil
}

var errSessionEnded = &Error{Kind: KindUnauthenticated, Code: "session_revoked", Message: "Your session has ended. Please sign in again."}

// SessionAccount loads the account behind a web session and checks that the
// session is still current: not ended by its user, and not older than the
// user's session version (a password change or "sign out everywhere").
func (s *Service) SessionAccount(ctx context.Context, userID string, version int, sid string) (Account, error) {
	acc, err := s.AccountByID(ctx, userID)
	if err != nil {
		return Account{}, err
	}
	if acc.User.SessionVersion != version {
		return Account{}, errSessionEnded
	}
	var row store.UserSession
	err = s.db.Read(ctx, func(tx *store.Tx) (err error) {
		row, err = tx.UserSession(ctx, userID, sid)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Account{}, errSessionEnded
	}
	if err != nil {
		return Account{}, errInternal("read session: %w", err)
	}
	if now := s.now(); now.Sub(row.LastSeenAt) > touchEvery {
		err := s.db.Write(ctx, func(tx *store.Tx) error { return tx.TouchUserSession(ctx, sid, tx.Now) })
		if err != nil {
			s.log.WarnContext(ctx, "touch session", "err", err)
		}
	}
	return acc, nil
}

// ListSessions lists a user's signed-in browsers, newest first. Users see
// their own.
func (s *Service) ListSessions(ctx context.Context, a Actor, userID string) ([]WebSession, error) {
	if !(a.Kind == ActorUser && a.ID == userID) && !a.IsOperatorAdmin() {
		return nil, errForbidden("")
	}
	var out []WebSession
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.UserSessions(ctx, userID)
		for _, r := range rows {
			if s.now().Sub(r.CreatedAt) > SessionLifetime || s.now().Sub(r.LastSeenAt) > IdleTimeout+touchEvery {
				continue // expired; the sweep removes the row
			}
			out = append(out, WebSession{ID: r.ID, CreatedAt: r.CreatedAt, LastSeenAt: r.LastSeenAt, IP: r.IP, UserAgent: r.UserAgent})
		}
		return err
	})
	if err != nil {
		return nil, errInternal("list sessions: %w", err)
	}
	return out, nil
}

// EndSession signs one of the actor's own browser sessions out.
func (s *Service) EndSession(ctx context.Context, a Actor, sid string) error {
	if a.Kind != ActorUser {
		return errForbidden("")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		err := tx.DeleteUserSession(ctx, a.ID, sid)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound("Session")
		}
		if err != nil {
			return errInternal("end session: %w", err)
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "session.ended", TargetType: "user", TargetID: a.ID, OrgID: a.OrgID})
	})
}

// EndOtherSessions signs out every browser session of the actor but keep.
func (s *Service) EndOtherSessions(ctx context.Context, a Actor, keep string) (int, error) {
	if a.Kind != ActorUser {
		return 0, errForbidden("")
	}
	var n int64
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if n, err = tx.DeleteUserSessions(ctx, a.ID, keep); err != nil {
			return errInternal("end sessions: %w", err)
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "session.ended_others", TargetType: "user", TargetID: a.ID, OrgID: a.OrgID,
			Details: map[string]any{"ended": n}})
	})
	return int(n), err
}
