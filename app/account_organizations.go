package app

import (
	"context"
	"errors"

	"optare/store"
)

// OrganizationInput creates an organization. Slug is derived from Name when
// empty.
type OrganizationInput struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

func (in *OrganizationInput) validate() error {
	f := fields{}
	in.Name = checkName(f, "name", "the organization's name", in.Name, 100)
	if in.Slug == "" {
		in.Slug = Slugify(in.Name)
		if in.Name != "" && len(in.Slug) < 2 {
			f.add("slug", "Choose a slug: the name has too few letters or digits to make one.")
		}
	} else {
		checkSlug(f, "slug", in.Slug)
	}
	return f.err()
}

// CreateOrganization adds a customer organization. Operator admins only.
func (s *Service) CreateOrganization(ctx context.Context, a Actor, in OrganizationInput) (Organization, error) {
	if !a.IsOperatorAdmin() {
		return Organization{}, errForbidden("")
	}
	if err := in.validate(); err != nil {
		return Organization{}, err
	}
	var org Organization
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		org, err = s.insertOrganization(ctx, tx, a, in, false)
		return err
	})
	return org, err
}

func (s *Service) insertOrganization(ctx context.Context, tx *store.Tx, a Actor, in OrganizationInput, operator bool) (Organization, error) {
	row := store.Organization{ID: newID(prefixOrg), Slug: in.Slug, Name: in.Name, IsOperator: operator,
		CreatedAt: tx.Now, UpdatedAt: tx.Now}
	if err := tx.InsertOrganization(ctx, row); err != nil {
		if store.IsConflictOn(err, "organizations.slug") {
			return Organization{}, &Error{Kind: KindConflict, Code: "slug_taken",
				Message: "An organization with this slug already exists.", Fields: map[string]string{"slug": "This slug is taken."}}
		}
		if errors.Is(err, store.ErrConflict) {
			return Organization{}, errConflict("setup_done", "Setup is already complete.")
		}
		return Organization{}, errInternal("insert organization: %w", err)
	}
	org := orgFromRow(row)
	err := s.audit(ctx, tx, a, AuditRecord{Action: "organization.created", TargetType: "organization",
		TargetID: org.ID, OrgID: org.ID, Details: map[string]any{"name": org.Name, "slug": org.Slug, "operator": operator}})
	return org, err
}

// OrganizationByRef finds an organization by id or slug. Operator admins see
// every organization; others only their own.
func (s *Service) OrganizationByRef(ctx context.Context, a Actor, ref string) (Organization, error) {
	var org Organization
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		org, err = orgByRef(ctx, tx, a, ref)
		return err
	})
	return org, err
}

// orgByRef is OrganizationByRef in a transaction of the caller's, so that
// what it found still holds when the transaction writes.
func orgByRef(ctx context.Context, tx *store.Tx, a Actor, ref string) (Organization, error) {
	row, err := tx.Organization(ctx, ref)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.IsOperatorAdmin() && row.ID != a.OrgID) {
		return Organization{}, errNotFound("Organization")
	}
	if err != nil {
		return Organization{}, errInternal("read organization: %w", err)
	}
	return orgFromRow(row), nil
}

// OrganizationPage is one page of organizations.
type OrganizationPage struct {
	Organizations []Organization `json:"organizations"`
	NextCursor    Cursor         `json:"next_cursor"`
}

// ListOrganizations lists organizations: all of them for operator admins,
// the actor's own otherwise.
func (s *Service) ListOrganizations(ctx context.Context, a Actor, cursor string, limit int) (OrganizationPage, error) {
	if !a.IsOperatorAdmin() {
		org, err := s.OrganizationByRef(ctx, a, a.OrgID)
		if err != nil {
			return OrganizationPage{}, err
		}
		return OrganizationPage{Organizations: []Organization{org}}, nil
	}
	limit = clampLimit(limit)
	page := OrganizationPage{Organizations: []Organization{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Organizations(ctx, cursor, limit+1)
		if err != nil {
			return err
		}
		page.Organizations, page.NextCursor = pageOf(rows, limit, orgFromRow,
			func(r store.Organization) string { return r.ID })
		return nil
	})
	if err != nil {
		return OrganizationPage{}, errInternal("list organizations: %w", err)
	}
	return page, nil
}
