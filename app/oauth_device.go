package app

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"optare/app/oidc"
	"optare/store"
)

// Device authorization grant figures (RFC 8628).
const (
	DeviceCodeLifetime = 10 * time.Minute
	// DevicePollInterval is the interval, in seconds, a device must keep
	// between polls; each slow_down adds deviceSlowDownStep to it.
	DevicePollInterval = 5
	deviceSlowDownStep = 5
)

// deviceEntryLimit bounds wrong user codes entered by one user: 34 bits of
// code space against 5 guesses per 15 minutes.
var deviceEntryLimit = RateLimit{Limit: 5, Window: 15 * time.Minute}

// DeviceAuthorization starts the device flow for a client (RFC 8628 §3.1):
// the client authenticates as at the token endpoint and must be allowed
// the device grant and every scope it asks. It stores the device code and
// user code hashed and answers both with where the user goes.
func (s *Service) DeviceAuthorization(ctx context.Context, req oidc.DeviceAuthorizationRequest, ip string) (oidc.DeviceAuthorizationResponse, error) {
	c, err := s.authenticateClient(ctx, req.ClientAuth, ip)
	if err != nil {
		return oidc.DeviceAuthorizationResponse{}, err
	}
	if !hasGrant(c, oidc.GrantDeviceCode) {
		return oidc.DeviceAuthorizationResponse{}, oidc.UnauthorizedClient("this client may not use the device authorization grant")
	}
	if len(req.Scopes) == 0 {
		return oidc.DeviceAuthorizationResponse{}, oidc.InvalidRequest("missing scope")
	}
	if _, e := s.scopeProducts(ctx, c, req.Scopes); e != nil {
		return oidc.DeviceAuthorizationResponse{}, e
	}
	deviceCode := newSecret("dc_")
	var userCode string
	for attempt := 0; ; attempt++ {
		userCode = oidc.NewUserCode()
		canonical, _ := oidc.NormalizeUserCode(userCode)
		err = s.db.Write(ctx, func(tx *store.Tx) error {
			return tx.InsertDeviceCode(ctx, store.DeviceCode{Hash: oidc.HashSecret(deviceCode),
				UserCodeHash: oidc.HashSecret(canonical), ClientID: c.ID, Scopes: oidc.JoinScope(req.Scopes),
				Status: store.DevicePending, GrantID: newID("grant_"), Interval: DevicePollInterval,
				CreatedAt: tx.Now, ExpiresAt: tx.Now.Add(DeviceCodeLifetime)})
		})
		// A clash of user codes among the live ones is rare; draw again.
		if err == nil || !errors.Is(err, store.ErrConflict) || attempt == 3 {
			break
		}
	}
	if err != nil {
		return oidc.DeviceAuthorizationResponse{}, errInternal("insert device code: %w", err)
	}
	verify := s.Issuer() + oidc.PathDevice
	return oidc.DeviceAuthorizationResponse{DeviceCode: deviceCode, UserCode: userCode, VerificationURI: verify,
		VerificationURIComplete: verify + "?user_code=" + url.QueryEscape(userCode),
		ExpiresIn:               int(DeviceCodeLifetime / time.Second), Interval: DevicePollInterval}, nil
}

// DevicePrompt is what /device shows once a user entered a valid code: the
// code (as the device shows it) and the consent screen for its request.
type DevicePrompt struct {
	UserCode string
	Consent  ConsentPrompt
}

// DeviceRequest finds the pending request of a user code for the signed-in
// user, to show its consent screen. The consent screen is always shown for
// the device flow, even when the user allowed the client before: the
// request did not start in this browser, so only the user's reading of the
// screen tells a phishing attempt from their own device. A wrong, expired
// or used code counts against the user's budget of wrong entries.
func (s *Service) DeviceRequest(ctx context.Context, sess *AuthSession, userCode, ip string) (DevicePrompt, error) {
	d, c, err := s.deviceByUserCode(ctx, sess, userCode, ip)
	if err != nil {
		return DevicePrompt{}, err
	}
	products, e := s.scopeProducts(ctx, c, strings.Fields(d.Scopes))
	if e != nil {
		return DevicePrompt{}, errForbidden("This app asks for something it may no longer have: " + e.Description)
	}
	if e := s.checkProductAccess(ctx, sess.UserID, products); e != nil {
		return DevicePrompt{}, errForbidden("Your account cannot use every product this app asks for.")
	}
	return DevicePrompt{UserCode: canonicalDisplay(userCode), Consent: consentPrompt(c, strings.Fields(d.Scopes), products)}, nil
}

// DeviceDecide records the signed-in user's decision on the request of a
// user code: DecisionApprove records consent and lets the device's next
// poll get tokens for this user; DecisionDeny makes it get access_denied.
// It returns the client's name for the page that follows.
func (s *Service) DeviceDecide(ctx context.Context, sess *AuthSession, userCode, decision, ip string) (string, error) {
	if decision != DecisionApprove && decision != DecisionDeny {
		return "", &Error{Kind: KindInvalid, Message: "Choose Authorize or Deny."}
	}
	d, c, err := s.deviceByUserCode(ctx, sess, userCode, ip)
	if err != nil {
		return "", err
	}
	scopes := strings.Fields(d.Scopes)
	if decision == DecisionApprove {
		products, e := s.scopeProducts(ctx, c, scopes)
		if e == nil {
			e = s.checkProductAccess(ctx, sess.UserID, products)
		}
		if e != nil {
			return "", errForbidden("Your account cannot use every product this app asks for.")
		}
	}
	a := sess.actor(ip)
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		d.Status, d.UserID, d.SessionID, d.AuthTime, d.SessionVersion = store.DeviceDenied, sess.UserID, sess.ID, sess.AuthTime, sess.SessionVersion
		if decision == DecisionApprove {
			d.Status = store.DeviceApproved
		}
		if err := tx.DecideDeviceCode(ctx, d); errors.Is(err, store.ErrNotFound) {
			return errDeviceCode
		} else if err != nil {
			return errInternal("decide device code: %w", err)
		}
		if decision == DecisionDeny {
			return s.audit(ctx, tx, a, AuditRecord{Action: "consent.denied", TargetType: "client", TargetID: c.ID,
				OrgID: c.OrgID, Outcome: OutcomeFailure, Details: map[string]any{"scopes": scopes, "flow": "device"}})
		}
		return s.recordConsent(ctx, tx, c, a, scopes)
	})
	if err != nil {
		return "", err
	}
	return c.Name, nil
}

// errDeviceCode is the one answer to a code that cannot be used, so a
// guesser learns nothing about which codes exist.
var errDeviceCode = &Error{Kind: KindInvalid, Code: "invalid_user_code",
	Message: "That code is not valid or has expired. Check the code shown on your device.",
	Fields:  map[string]string{"user_code": "Not a valid code."}}

// deviceByUserCode finds the pending, unexpired request of a user code and
// its enabled client, counting a miss against the user's budget.
func (s *Service) deviceByUserCode(ctx context.Context, sess *AuthSession, userCode, ip string) (store.DeviceCode, store.Client, error) {
	if sess == nil {
		return store.DeviceCode{}, store.Client{}, &Error{Kind: KindUnauthenticated, Message: "Sign in first."}
	}
	key := "device:" + sess.UserID
	if st := s.authFailures.peek(key, deviceEntryLimit); st.Remaining == 0 {
		return store.DeviceCode{}, store.Client{}, errRateLimited(st, "of wrong codes in 15 minutes")
	}
	var d store.DeviceCode
	var c store.Client
	canonical, perr := oidc.NormalizeUserCode(userCode)
	err := errDeviceCode
	if perr == nil {
		rerr := s.db.Read(ctx, func(tx *store.Tx) (err error) {
			if d, err = tx.DeviceCodeByUserCode(ctx, oidc.HashSecret(canonical)); err != nil {
				return err
			}
			c, err = tx.Client(ctx, d.ClientID)
			return err
		})
		switch {
		case rerr != nil && !errors.Is(rerr, store.ErrNotFound):
			return d, c, errInternal("read device code: %w", rerr)
		case rerr == nil && d.Status == store.DevicePending && s.now().Before(d.ExpiresAt) && c.Enabled:
			err = nil
		}
	}
	if err != nil {
		s.authFailures.take(key, deviceEntryLimit)
		s.auditFailure(ctx, sess.actor(ip), AuditRecord{Action: "device.code_rejected", TargetType: "user",
			TargetID: sess.UserID})
		return d, c, err
	}
	return d, c, nil
}

// canonicalDisplay shows a user code as XXXX-XXXX whatever way it was typed.
func canonicalDisplay(userCode string) string {
	n, err := oidc.NormalizeUserCode(userCode)
	if err != nil {
		return userCode
	}
	return oidc.FormatUserCode(n)
}
