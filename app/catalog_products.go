package app

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"time"

	"optare/store"
)

// Product is a product in the catalogue, in the guide's JSON shape.
type Product struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	Slug             string    `json:"slug"`
	Description      string    `json:"description"`
	Features         []string  `json:"features"`
	DocumentationURL string    `json:"documentation_url"`
	Archived         bool      `json:"archived"`
	CreatedAt        time.Time `json:"createdAt"`
	UpdatedAt        time.Time `json:"updated_at"`
	// LicenseCheckIn is how long a signed licence token is valid (its exp),
	// LicenseGrace how long after exp an offline app keeps working; seconds.
	LicenseCheckIn int `json:"license_check_in_seconds"`
	LicenseGrace   int `json:"license_grace_seconds"`
	// MachinesPerSeat limits the machines each seat may activate (0: no
	// limit); a Floating product instead allows total_seats concurrent
	// leases across the organization; LeaseTTL is a lease's life between
	// heartbeats, in seconds.
	MachinesPerSeat int  `json:"machines_per_seat"`
	Floating        bool `json:"floating"`
	LeaseTTL        int  `json:"lease_ttl_seconds"`
}

func productFromRow(p store.Product) Product {
	return Product{ID: p.ID, Name: p.Name, Slug: p.Slug, Description: p.Description, Features: append([]string{}, p.Features...),
		DocumentationURL: p.DocumentationURL, Archived: !p.ArchivedAt.IsZero(), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		LicenseCheckIn: p.LicenseCheckIn, LicenseGrace: p.LicenseGrace,
		MachinesPerSeat: p.MachinesPerSeat, Floating: p.Floating, LeaseTTL: p.LeaseTTL}
}

// ProductInput creates a product.
type ProductInput struct {
	Name             string   `json:"name"`
	Slug             string   `json:"slug"`
	Description      string   `json:"description"`
	Features         []string `json:"features"`
	DocumentationURL string   `json:"documentation_url"`
	// Zero takes the defaults (7 days, 3 days, 600 seconds).
	LicenseCheckIn  int  `json:"license_check_in_seconds"`
	LicenseGrace    int  `json:"license_grace_seconds"`
	MachinesPerSeat int  `json:"machines_per_seat"`
	Floating        bool `json:"floating"`
	LeaseTTL        int  `json:"lease_ttl_seconds"`
}

// ProductPatch changes a product; nil fields stay as they are. The slug is
// fixed once created: client apps and OAuth scopes name products by it.
type ProductPatch struct {
	Name             *string   `json:"name,omitempty"`
	Slug             *string   `json:"slug,omitempty"`
	Description      *string   `json:"description,omitempty"`
	Features         *[]string `json:"features,omitempty"`
	DocumentationURL *string   `json:"documentation_url,omitempty"`
	Archived         *bool     `json:"archived,omitempty"`
	LicenseCheckIn   *int      `json:"license_check_in_seconds,omitempty"`
	LicenseGrace     *int      `json:"license_grace_seconds,omitempty"`
	MachinesPerSeat  *int      `json:"machines_per_seat,omitempty"`
	Floating         *bool     `json:"floating,omitempty"`
	LeaseTTL         *int      `json:"lease_ttl_seconds,omitempty"`
}

// Limits of product fields.
const (
	maxDescription = 2000
	maxFeatures    = 50
)

func checkProductFields(f fields, p *Product) {
	p.Name = checkName(f, "name", "a name", p.Name, 100)
	if len([]rune(p.Description)) > maxDescription {
		f.add("description", "Use at most 2000 characters.")
	}
	if len(p.Features) > maxFeatures {
		f.add("features", "List at most 50 features.")
	}
	for i := range p.Features {
		sub := fields{}
		p.Features[i] = checkName(sub, "features", "its text, or remove the row", p.Features[i], 200)
		if msg := sub["features"]; msg != "" {
			f.add("features", "Each feature: "+msg)
		}
	}
	checkLicensePolicy(f, p)
	if p.DocumentationURL != "" {
		u, err := url.Parse(p.DocumentationURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			f.add("documentation_url", "Enter an absolute http(s) URL.")
		}
	}
}

func errSlugTaken() *Error {
	return &Error{Kind: KindConflict, Code: "slug_taken", Message: "A product with this slug already exists.",
		Fields: map[string]string{"slug": "This slug is taken."}}
}

// CreateProduct adds a product to the catalogue. Operator admins only.
func (s *Service) CreateProduct(ctx context.Context, a Actor, in ProductInput) (Product, error) {
	if !a.IsOperatorAdmin() {
		return Product{}, errForbidden("Only operators can change the product catalogue.")
	}
	p := Product{Name: in.Name, Slug: in.Slug, Description: in.Description, Features: append([]string{}, in.Features...),
		DocumentationURL: in.DocumentationURL, LicenseCheckIn: in.LicenseCheckIn, LicenseGrace: in.LicenseGrace,
		MachinesPerSeat: in.MachinesPerSeat, Floating: in.Floating, LeaseTTL: in.LeaseTTL}
	if p.LeaseTTL == 0 {
		p.LeaseTTL = int(DefaultLeaseTTL / time.Second)
	}
	if p.LicenseCheckIn == 0 {
		p.LicenseCheckIn = int(DefaultLicenseCheckIn / time.Second)
	}
	if p.LicenseGrace == 0 {
		p.LicenseGrace = int(DefaultLicenseGrace / time.Second)
	}
	f := fields{}
	checkProductFields(f, &p)
	checkSlug(f, "slug", p.Slug)
	if err := f.err(); err != nil {
		return Product{}, err
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		row := store.Product{ID: newID(prefixProduct), Slug: p.Slug, Name: p.Name, Description: p.Description,
			Features: p.Features, DocumentationURL: p.DocumentationURL, CreatedAt: tx.Now, UpdatedAt: tx.Now,
			LicenseCheckIn: p.LicenseCheckIn, LicenseGrace: p.LicenseGrace,
			MachinesPerSeat: p.MachinesPerSeat, Floating: p.Floating, LeaseTTL: p.LeaseTTL}
		if err := tx.InsertProduct(ctx, row); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errSlugTaken()
			}
			return errInternal("insert product: %w", err)
		}
		p = productFromRow(row)
		return s.audit(ctx, tx, a, AuditRecord{Action: "product.created", TargetType: "product", TargetID: p.ID,
			Details: map[string]any{"name": p.Name, "slug": p.Slug, "features": p.Features}})
	})
	return p, err
}

// UpdateProduct changes a product's name, description, features,
// documentation link or archived state. Operator admins only.
func (s *Service) UpdateProduct(ctx context.Context, a Actor, ref string, patch ProductPatch) (Product, error) {
	if !a.IsOperatorAdmin() {
		return Product{}, errForbidden("Only operators can change the product catalogue.")
	}
	var p Product
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.Product(ctx, ref)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound("Product")
		}
		if err != nil {
			return errInternal("read product: %w", err)
		}
		before := productFromRow(row)
		p = before
		f := fields{}
		if patch.Slug != nil && *patch.Slug != p.Slug {
			f.add("slug", "A product's slug cannot be changed: apps and scopes refer to it.")
		}
		applyProductPatch(&p, patch)
		checkProductFields(f, &p)
		if err := f.err(); err != nil {
			return err
		}
		row.Name, row.Description, row.Features, row.DocumentationURL = p.Name, p.Description, p.Features, p.DocumentationURL
		row.UpdatedAt, row.LicenseCheckIn, row.LicenseGrace = tx.Now, p.LicenseCheckIn, p.LicenseGrace
		row.MachinesPerSeat, row.Floating, row.LeaseTTL = p.MachinesPerSeat, p.Floating, p.LeaseTTL
		if p.Archived != before.Archived {
			row.ArchivedAt = time.Time{}
			if p.Archived {
				row.ArchivedAt = tx.Now
			}
		}
		if err := tx.UpdateProduct(ctx, row); err != nil {
			return errInternal("update product: %w", err)
		}
		p = productFromRow(row)
		if err := s.emit(ctx, tx, "", "product.updated", p); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: productAction(before, p), TargetType: "product", TargetID: p.ID,
			Details: productChanges(before, p)})
	})
	return p, err
}

func applyProductPatch(p *Product, patch ProductPatch) {
	if patch.Name != nil {
		p.Name = *patch.Name
	}
	if patch.Description != nil {
		p.Description = *patch.Description
	}
	if patch.Features != nil {
		p.Features = append([]string{}, (*patch.Features)...)
	}
	if patch.DocumentationURL != nil {
		p.DocumentationURL = *patch.DocumentationURL
	}
	if patch.Archived != nil {
		p.Archived = *patch.Archived
	}
	if patch.LicenseCheckIn != nil {
		p.LicenseCheckIn = *patch.LicenseCheckIn
	}
	if patch.LicenseGrace != nil {
		p.LicenseGrace = *patch.LicenseGrace
	}
	if patch.MachinesPerSeat != nil {
		p.MachinesPerSeat = *patch.MachinesPerSeat
	}
	if patch.Floating != nil {
		p.Floating = *patch.Floating
	}
	if patch.LeaseTTL != nil {
		p.LeaseTTL = *patch.LeaseTTL
	}
}

func productAction(before, after Product) string {
	switch {
	case after.Archived && !before.Archived:
		return "product.archived"
	case before.Archived && !after.Archived:
		return "product.restored"
	}
	return "product.updated"
}

// productChanges records each changed field as {from, to}.
func productChanges(before, after Product) map[string]any {
	out := map[string]any{}
	change := func(name string, from, to any) {
		if !reflect.DeepEqual(from, to) {
			out[name] = map[string]any{"from": from, "to": to}
		}
	}
	change("name", before.Name, after.Name)
	change("description", before.Description, after.Description)
	change("features", before.Features, after.Features)
	change("documentation_url", before.DocumentationURL, after.DocumentationURL)
	change("archived", before.Archived, after.Archived)
	change("license_check_in_seconds", before.LicenseCheckIn, after.LicenseCheckIn)
	change("license_grace_seconds", before.LicenseGrace, after.LicenseGrace)
	change("machines_per_seat", before.MachinesPerSeat, after.MachinesPerSeat)
	change("floating", before.Floating, after.Floating)
	change("lease_ttl_seconds", before.LeaseTTL, after.LeaseTTL)
	return out
}

// ArchiveProduct takes a product out of the catalogue: it leaves lists and
// grants no access any more, while its subscriptions stay readable.
func (s *Service) ArchiveProduct(ctx context.Context, a Actor, ref string) (Product, error) {
	archived := true
	return s.UpdateProduct(ctx, a, ref, ProductPatch{Archived: &archived})
}
