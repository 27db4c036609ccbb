package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"optare/store"
)

// challengeLifetime bounds a passkey ceremony: the browser's prompt plus
// the person in front of it.
const challengeLifetime = 5 * time.Minute

// Passkey is one of a user's passkeys as they see it.
type Passkey struct {
	ID         string
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time
	Synced     bool // backed up (a synced passkey) rather than bound to one device
}

// PasskeyCeremony is the start of a passkey ceremony: the options for the
// browser's navigator.credentials call (JSON) and the handle the door keeps
// in the browser's session to finish it.
type PasskeyCeremony struct {
	Options json.RawMessage
	Handle  string
}

// PasskeyConfig checks that issuer can carry passkeys: https, or http on
// localhost or a loopback address (development). The relying-party id is
// the issuer's host and the origin its scheme and host.
func PasskeyConfig(issuer string) (*webauthn.Config, error) {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("passkeys: issuer %q is not a URL", issuer)
	}
	host := u.Hostname()
	loopback := host == "localhost" || strings.HasSuffix(host, ".localhost")
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		loopback = true
	}
	if u.Scheme != "https" && !loopback {
		return nil, fmt.Errorf("passkeys need an https issuer (or localhost); %s is neither, so passkeys are off", issuer)
	}
	return &webauthn.Config{RPID: host, RPDisplayName: "Optare", RPOrigins: []string{u.Scheme + "://" + u.Host}}, nil
}

var errPasskeysOff = &Error{Kind: KindUnavailable, Code: "passkeys_unavailable",
	Message: "Passkeys are not available on this server: its address must be https (or localhost)."}

// PasskeysEnabled reports whether the issuer allows passkeys.
func (s *Service) PasskeysEnabled() bool {
	_, err := PasskeyConfig(s.Issuer())
	return err == nil
}

func (s *Service) relyingParty() (*webauthn.WebAuthn, error) {
	cfg, err := PasskeyConfig(s.Issuer())
	if err != nil {
		return nil, errPasskeysOff
	}
	w, err := webauthn.New(cfg)
	if err != nil {
		return nil, errInternal("webauthn config: %w", err)
	}
	return w, nil
}

// passkeyUser is a user as the WebAuthn library sees them: the user id is
// the user handle (random, not personal).
type passkeyUser struct {
	u     store.User
	creds []webauthn.Credential
}

func (p passkeyUser) WebAuthnID() []byte                         { return []byte(p.u.ID) }
func (p passkeyUser) WebAuthnName() string                       { return p.u.Email }
func (p passkeyUser) WebAuthnDisplayName() string                { return p.u.Name }
func (p passkeyUser) WebAuthnCredentials() []webauthn.Credential { return p.creds }

func loadPasskeyUser(ctx context.Context, tx *store.Tx, userID string) (passkeyUser, error) {
	u, err := tx.User(ctx, userID)
	if err != nil {
		return passkeyUser{}, err
	}
	rows, err := tx.UserPasskeys(ctx, userID)
	if err != nil {
		return passkeyUser{}, err
	}
	p := passkeyUser{u: u}
	for _, r := range rows {
		var c webauthn.Credential
		if err := json.Unmarshal(r.Credential, &c); err != nil {
			return passkeyUser{}, fmt.Errorf("passkey %s: %w", r.ID, err)
		}
		p.creds = append(p.creds, c)
	}
	return p, nil
}

// saveChallenge stores a ceremony's session data under a new handle.
func (s *Service) saveChallenge(ctx context.Context, userID, purpose string, sd *webauthn.SessionData, options any) (PasskeyCeremony, error) {
	session, err := json.Marshal(sd)
	if err != nil {
		return PasskeyCeremony{}, errInternal("webauthn session: %w", err)
	}
	opts, err := json.Marshal(options)
	if err != nil {
		return PasskeyCeremony{}, errInternal("webauthn options: %w", err)
	}
	handle := newSecret("")
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertWebAuthnChallenge(ctx, store.WebAuthnChallenge{ID: hashSecret(handle), UserID: userID, Purpose: purpose,
			Session: session, ExpiresAt: tx.Now.Add(challengeLifetime)})
	})
	if err != nil {
		return PasskeyCeremony{}, errInternal("store challenge: %w", err)
	}
	return PasskeyCeremony{Options: opts, Handle: handle}, nil
}

var errCeremonyExpired = &Error{Kind: KindInvalid, Code: "passkey_expired", Message: "The passkey request expired or was used already. Try again."}

// takeChallenge reads and spends a ceremony's session data.
func takeChallenge(ctx context.Context, tx *store.Tx, handle, purpose string) (store.WebAuthnChallenge, webauthn.SessionData, error) {
	var sd webauthn.SessionData
	if handle == "" {
		return store.WebAuthnChallenge{}, sd, errCeremonyExpired
	}
	c, err := tx.TakeWebAuthnChallenge(ctx, hashSecret(handle), purpose)
	if errors.Is(err, store.ErrNotFound) {
		return c, sd, errCeremonyExpired
	}
	if err != nil {
		return c, sd, errInternal("read challenge: %w", err)
	}
	if err := json.Unmarshal(c.Session, &sd); err != nil {
		return c, sd, errInternal("webauthn session: %w", err)
	}
	return c, sd, nil
}

func passkeyID(raw []byte) string { return base64.RawURLEncoding.EncodeToString(raw) }

func passkeyFromRow(r store.Passkey) Passkey {
	p := Passkey{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt}
	var c webauthn.Credential
	if json.Unmarshal(r.Credential, &c) == nil {
		p.Synced = c.Flags.BackupEligible
	}
	return p
}

// amrFor names how a passkey signed in: a synced passkey is a software key,
// a device-bound one a hardware key; with user verification it is two
// factors on its own.
func amrFor(c *webauthn.Credential) []string {
	key := AMRHardware
	if c.Flags.BackupEligible {
		key = AMRSoftware
	}
	return []string{key, AMRMFA}
}

// userVerificationRequired is the discoverable, verified passkey the issue
// asks for.
var passkeySelection = protocol.AuthenticatorSelection{
	ResidentKey:      protocol.ResidentKeyRequirementRequired,
	UserVerification: protocol.VerificationRequired,
}
