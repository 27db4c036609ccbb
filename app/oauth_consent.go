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

// ConsentPrompt is what the consent screen shows.
type ConsentPrompt struct {
	ClientID          string
	ClientName        string
	ClientDescription string
	Scopes            []ScopeGrant
}

// ScopeGrant is one requested scope in words.
type ScopeGrant struct {
	Scope       string
	Description string
}

// describeScope puts a scope into words: the standard ones by oidc, a
// product by its name.
func describeScope(scope string, products []store.ScopeProduct) string {
	if d := oidc.ScopeDescription(scope); d != "" {
		return d
	}
	for _, p := range products {
		if p.Slug == scope {
			return "Use " + p.Name + " with your account"
		}
	}
	return scope
}

// ScopeWords puts scopes into words for people: the standard ones as the
// consent screen says them, product slugs as they are.
func ScopeWords(scopes []string) []string {
	out := make([]string, 0, len(scopes))
	for _, sc := range scopes {
		out = append(out, describeScope(sc, nil))
	}
	return out
}

func consentPrompt(c store.Client, scopes []string, products []store.ScopeProduct) ConsentPrompt {
	p := ConsentPrompt{ClientID: c.ID, ClientName: c.Name, ClientDescription: c.Description}
	for _, sc := range scopes {
		p.Scopes = append(p.Scopes, ScopeGrant{Scope: sc, Description: describeScope(sc, products)})
	}
	return p
}

// needsConsent reports whether the user must be asked: never for a
// first-party client; always with prompt=consent; otherwise when there is
// no consent, it predates a change of the client's redirect URIs or scopes,
// or it does not cover every requested scope.
func (s *Service) needsConsent(ctx context.Context, c store.Client, req oidc.AuthorizeRequest, userID string) (bool, error) {
	if c.FirstParty {
		return false, nil
	}
	if req.HasPrompt(oidc.PromptConsent) {
		return true, nil
	}
	var k store.Consent
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		k, err = tx.Consent(ctx, userID, c.ID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, errInternal("read consent: %w", err)
	}
	if k.ConsentVersion != c.ConsentVersion {
		return true, nil
	}
	granted := strings.Fields(k.Scopes)
	for _, sc := range req.Scopes {
		if !slices.Contains(granted, sc) {
			return true, nil
		}
	}
	return false, nil
}

// recordConsent stores the user's consent to scopes, adding them to what
// they allowed the same version of the client before, and audits it.
func (s *Service) recordConsent(ctx context.Context, tx *store.Tx, c store.Client, a Actor, scopes []string) error {
	userID := a.ID
	all := slices.Clone(scopes)
	prev, err := tx.Consent(ctx, userID, c.ID)
	switch {
	case err == nil && prev.ConsentVersion == c.ConsentVersion:
		for _, sc := range strings.Fields(prev.Scopes) {
			if !slices.Contains(all, sc) {
				all = append(all, sc)
			}
		}
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return errInternal("read consent: %w", err)
	}
	err = tx.PutConsent(ctx, store.Consent{UserID: userID, ClientID: c.ID, Scopes: oidc.JoinScope(all),
		ConsentVersion: c.ConsentVersion, CreatedAt: tx.Now, UpdatedAt: tx.Now})
	if err != nil {
		return errInternal("record consent: %w", err)
	}
	return s.audit(ctx, tx, a, AuditRecord{Action: "consent.granted",
		TargetType: "client", TargetID: c.ID, Details: map[string]any{"scopes": scopes}})
}

// ConnectedApp is a client a user has allowed, as Connected Apps lists it.
type ConnectedApp struct {
	ClientID   string    `json:"client_id"`
	ClientName string    `json:"client_name"`
	Scopes     []string  `json:"scopes"`
	GrantedAt  time.Time `json:"granted_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	// Permissions are the scopes in words, as the consent screen said them.
	Permissions []string `json:"permissions"`
	// LastUsedAt is when the app last got tokens for the user (signed them
	// in or refreshed its access); nil when no tokens are left to tell.
	LastUsedAt *time.Time `json:"last_used_at"`
}

// ConnectedApps lists the clients the acting user has allowed.
func (s *Service) ConnectedApps(ctx context.Context, a Actor) ([]ConnectedApp, error) {
	if a.Kind != ActorUser {
		return nil, errForbidden("")
	}
	var out []ConnectedApp
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.ConsentsOfUser(ctx, a.ID)
		if err != nil {
			return err
		}
		used, err := tx.AppLastUsed(ctx, a.ID)
		if err != nil {
			return err
		}
		var scopes []string
		for _, r := range rows {
			scopes = append(scopes, strings.Fields(r.Scopes)...)
		}
		products, err := tx.ScopeProducts(ctx, scopes)
		for _, r := range rows {
			c := ConnectedApp{ClientID: r.ClientID, ClientName: r.ClientName, Scopes: strings.Fields(r.Scopes),
				GrantedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, LastUsedAt: timePtr(used[r.ClientID])}
			for _, sc := range c.Scopes {
				c.Permissions = append(c.Permissions, describeScope(sc, products))
			}
			out = append(out, c)
		}
		return err
	})
	if err != nil {
		return nil, errInternal("list connected apps: %w", err)
	}
	return out, nil
}

// DisconnectApp withdraws the acting user's consent for a client and
// revokes every token the client holds for them.
func (s *Service) DisconnectApp(ctx context.Context, a Actor, clientID string) error {
	if a.Kind != ActorUser {
		return errForbidden("")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		err := tx.DeleteConsent(ctx, a.ID, clientID)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound("Connected app")
		}
		if err != nil {
			return errInternal("delete consent: %w", err)
		}
		n, err := tx.RevokeGrantsOf(ctx, a.ID, clientID, "consent_revoked")
		if err != nil {
			return errInternal("revoke grants: %w", err)
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "consent.revoked", TargetType: "client", TargetID: clientID,
			OrgID: a.OrgID, Details: map[string]any{"grants_revoked": n}})
	})
}
