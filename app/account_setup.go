package app

import (
	"context"
	"errors"
	"time"

	"optare/store"
)

// setupLinkLifetime bounds how long a printed setup link stays usable.
const setupLinkLifetime = 24 * time.Hour

// SetupInput creates the operator organization and its first owner.
type SetupInput struct {
	Token           string // the one-time link's token; not needed by the CLI
	OrgName         string
	Name            string
	Email           string
	Password        string
	PasswordConfirm string
}

// SetupNeeded reports whether first-run setup has yet to happen.
func (s *Service) SetupNeeded(ctx context.Context) (bool, error) {
	var needed bool
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		_, err := tx.OperatorOrganization(ctx)
		if errors.Is(err, store.ErrNotFound) {
			needed = true
			return nil
		}
		return err
	})
	if err != nil {
		return false, errInternal("check setup: %w", err)
	}
	return needed, nil
}

// NewSetupLink returns a fresh one-time setup token while setup is still
// needed, and "" once it is done. Only the token's hash is stored.
func (s *Service) NewSetupLink(ctx context.Context) (string, error) {
	var token string
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.OperatorOrganization(ctx); err == nil {
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		token = newSecret("")
		return tx.InsertSetupToken(ctx, hashSecret(token), tx.Now.Add(setupLinkLifetime))
	})
	if err != nil {
		return "", errInternal("create setup link: %w", err)
	}
	return token, nil
}

// CheckSetupToken tells the setup page whether to show the form: it fails
// with code "setup_done" after setup and "setup_token" for a bad link.
func (s *Service) CheckSetupToken(ctx context.Context, token string) error {
	return s.db.Read(ctx, func(tx *store.Tx) error { return checkSetupToken(ctx, tx, token, false) })
}

func checkSetupToken(ctx context.Context, tx *store.Tx, token string, trusted bool) error {
	if _, err := tx.OperatorOrganization(ctx); err == nil {
		return errConflict("setup_done", "Setup is already complete. Sign in instead.")
	} else if !errors.Is(err, store.ErrNotFound) {
		return errInternal("check setup: %w", err)
	}
	if trusted {
		return nil
	}
	ok, err := tx.SetupTokenValid(ctx, hashSecret(token))
	if err != nil {
		return errInternal("check setup token: %w", err)
	}
	if token == "" || !ok {
		return &Error{Kind: KindForbidden, Code: "setup_token",
			Message: "This setup link is not valid or has expired. Restart optare serve to print a new one."}
	}
	return nil
}

// Setup creates the operator organization and its owner, once. The web door
// must present the token from the printed link; the local CLI is trusted.
func (s *Service) Setup(ctx context.Context, a Actor, in SetupInput) (Account, error) {
	f := fields{}
	in.OrgName = checkName(f, "org_name", "the organization's name", in.OrgName, 100)
	in.Name = checkName(f, "name", "your name", in.Name, 100)
	email, key := normalizeEmail(f, "email", in.Email)
	checkPassword(f, "password", in.Password)
	if in.PasswordConfirm != in.Password {
		f.add("password_confirm", "The passwords do not match.")
	}
	slug := Slugify(in.OrgName)
	if len(slug) < 2 {
		slug = "operator"
	}
	trusted := a.Kind == ActorCLI
	if a.Label == "" {
		a.Label = email // the audit log names who ran setup from the browser
	}
	// Check the link before reporting field errors, so a stale link says so
	// at once instead of after the form is filled in.
	if err := s.db.Read(ctx, func(tx *store.Tx) error { return checkSetupToken(ctx, tx, in.Token, trusted) }); err != nil {
		return Account{}, err
	}
	if err := f.err(); err != nil {
		return Account{}, err
	}
	hash, err := hashPassword(s.password, in.Password)
	if err != nil {
		return Account{}, errInternal("hash password: %w", err)
	}
	var acc Account
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if err := checkSetupToken(ctx, tx, in.Token, trusted); err != nil {
			return err
		}
		org, err := s.insertOrganization(ctx, tx, a, OrganizationInput{Name: in.OrgName, Slug: slug}, true)
		if err != nil {
			return err
		}
		user, err := s.insertUser(ctx, tx, a, newMember{name: in.Name, email: email, emailKey: key, role: RoleOwner, org: org}, hash)
		if err != nil {
			return err
		}
		if err := tx.DeleteSetupTokens(ctx); err != nil {
			return errInternal("delete setup tokens: %w", err)
		}
		acc = Account{User: user, Org: org, Role: RoleOwner, Operator: true}
		return s.audit(ctx, tx, a, AuditRecord{Action: "setup.completed", TargetType: "organization", TargetID: org.ID, OrgID: org.ID,
			Details: map[string]any{"owner": user.ID}})
	})
	return acc, err
}
