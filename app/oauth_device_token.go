package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"optare/app/oidc"
	"optare/store"
)

// redeemDevice answers a device's poll at the token endpoint (RFC 8628
// §3.4, §3.5): authorization_pending until the user decides, slow_down
// when it polls sooner than its interval (which then grows by 5 seconds,
// enforced on the next poll), access_denied, expired_token, and once
// approved the tokens, exactly once. Presenting a redeemed device code
// again revokes what it gave, as a replayed authorization code does.
func (s *Service) redeemDevice(ctx context.Context, c store.Client, req oidc.TokenRequest, jkt, ip string) (mint, error) {
	if req.DeviceCode == "" {
		return mint{}, oidc.InvalidRequest("missing device_code")
	}
	var m mint
	var refused *oidc.Error
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		d, err := tx.DeviceCode(ctx, oidc.HashSecret(req.DeviceCode))
		switch {
		case errors.Is(err, store.ErrNotFound), err == nil && d.ClientID != c.ID:
			refused = oidc.InvalidGrant("Device code is invalid")
			return nil
		case err != nil:
			return errInternal("read device code: %w", err)
		case d.Status == store.DeviceUsed:
			refused = oidc.InvalidGrant("Device code has already been used")
			return s.revokeFamily(ctx, tx, c, d.GrantID, "code_replay", ip)
		case !tx.Now.Before(d.ExpiresAt):
			refused = oidc.NewError(oidc.CodeExpiredToken, "the device code has expired; start again")
			return nil
		}
		interval := d.Interval
		tooSoon := !d.LastPolledAt.IsZero() && tx.Now.Sub(d.LastPolledAt) < time.Duration(d.Interval)*time.Second
		if tooSoon {
			interval += deviceSlowDownStep
		}
		if err := tx.PollDeviceCode(ctx, d.Hash, interval); err != nil {
			return errInternal("record poll: %w", err)
		}
		switch {
		case tooSoon:
			refused = oidc.NewError(oidc.CodeSlowDown, "polling too fast: wait the interval, now 5 seconds longer")
			return nil
		case d.Status == store.DevicePending:
			refused = oidc.NewError(oidc.CodeAuthorizationPending, "the user has not yet answered")
			return nil
		case d.Status == store.DeviceDenied:
			refused = oidc.AccessDenied("the user denied the request")
			return nil
		}
		u, refusal, err := grantUser(ctx, tx, d.UserID, d.SessionVersion, "the user's session has ended")
		if err != nil || refusal != nil {
			refused = refusal
			return err
		}
		if err := tx.UseDeviceCode(ctx, d.Hash); errors.Is(err, store.ErrNotFound) {
			refused = oidc.InvalidGrant("Device code has already been used")
			return nil
		} else if err != nil {
			return errInternal("use device code: %w", err)
		}
		expires, err := insertGrant(ctx, tx, c, store.Grant{ID: d.GrantID, ClientID: c.ID, UserID: u.ID, Scopes: d.Scopes,
			SessionID: d.SessionID, AuthTime: d.AuthTime, DPoPJKT: familyBinding(c, jkt)})
		if err != nil {
			return err
		}
		m = mint{now: tx.Now, client: c, user: u, grantID: d.GrantID, grantExpires: expires, sid: d.SessionID, authTime: d.AuthTime}
		return s.fillUserTokens(ctx, tx, &m, strings.Fields(d.Scopes), u.SessionVersion)
	})
	if err != nil {
		return mint{}, err
	}
	if refused != nil {
		return mint{}, refused
	}
	m.idToken = slices.Contains(m.scopes, oidc.ScopeOpenID)
	return m, nil
}
