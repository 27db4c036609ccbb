package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"optare/app/webhook"
	"optare/store"
)

// WebhookEventTypes are the events an endpoint may subscribe to.
var WebhookEventTypes = []string{
	"subscription.created", "subscription.updated", "subscription.cancelled", "subscription.expired",
	"seat.assigned", "seat.unassigned", "license.activated", "license.deactivated",
	"user.disabled", "product.updated",
}

// webhookTestEvent is what "Send test event" sends; every endpoint takes it.
const webhookTestEvent = "webhook.test"

// previousSecretLifetime is how long a rotated-out secret keeps signing.
const previousSecretLifetime = 24 * time.Hour

const prefixWebhook = "whk_"

// WebhookEndpoint is an organization's webhook endpoint.
type WebhookEndpoint struct {
	ID               string     `json:"id"`
	OrganizationID   string     `json:"organization_id"`
	URL              string     `json:"url"`
	Description      string     `json:"description"`
	Events           []string   `json:"events"`
	AllOrganizations bool       `json:"all_organizations"`
	Enabled          bool       `json:"enabled"`
	DisabledReason   string     `json:"disabled_reason"`
	FailingSince     *time.Time `json:"failing_since"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// NewWebhookEndpoint is an endpoint with its signing secret, shown once.
type NewWebhookEndpoint struct {
	WebhookEndpoint
	Secret string `json:"secret"`
}

func endpointFromRow(r store.WebhookEndpoint) WebhookEndpoint {
	e := WebhookEndpoint{ID: r.ID, OrganizationID: r.OrgID, URL: r.URL, Description: r.Description, Events: []string{},
		AllOrganizations: r.AllOrgs, Enabled: r.Enabled, DisabledReason: r.DisabledReason, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	json.Unmarshal([]byte(r.Events), &e.Events) // written by encodeFeatures only
	if !r.FailingSince.IsZero() {
		t := r.FailingSince
		e.FailingSince = &t
	}
	return e
}

// WebhookInput creates an endpoint.
type WebhookInput struct {
	OrganizationID   string   `json:"organization_id"`
	URL              string   `json:"url"`
	Events           []string `json:"events"`
	Description      string   `json:"description"`
	AllOrganizations bool     `json:"all_organizations"`
}

// WebhookPatch changes an endpoint; nil fields stay. Enabling clears the
// disabled reason and the failure streak.
type WebhookPatch struct {
	URL         *string   `json:"url,omitempty"`
	Events      *[]string `json:"events,omitempty"`
	Description *string   `json:"description,omitempty"`
	Enabled     *bool     `json:"enabled,omitempty"`
}

func (s *Service) checkEndpoint(f fields, e *WebhookEndpoint) {
	e.URL, e.Description = strings.TrimSpace(e.URL), strings.TrimSpace(e.Description)
	if err := s.webhooks.CheckURL(e.URL); err != nil {
		msg := "Enter an absolute http(s) URL."
		if errors.Is(err, webhook.ErrPrivateTarget) {
			msg = "This URL points to a private, loopback or link-local address; Optare does not call those."
		}
		f.add("url", msg)
	}
	if len([]rune(e.Description)) > 500 {
		f.add("description", "Use at most 500 characters.")
	}
	if len(e.Events) == 0 {
		f.add("events", "Choose at least one event.")
	}
	for _, ev := range e.Events {
		if !slices.Contains(WebhookEventTypes, ev) {
			f.add("events", fmt.Sprintf("Unknown event %q; choose from %s.", ev, strings.Join(WebhookEventTypes, ", ")))
		}
	}
	slices.Sort(e.Events)
	e.Events = slices.Compact(e.Events)
}

// CreateWebhookEndpoint adds an endpoint to an organization and returns
// its signing secret, shown only here. Operator admins for any
// organization (all_organizations only on the operator's own); an
// organization's admins for theirs.
func (s *Service) CreateWebhookEndpoint(ctx context.Context, a Actor, in WebhookInput) (NewWebhookEndpoint, error) {
	var out NewWebhookEndpoint
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		org, err := s.orgFor(ctx, tx, a, in.OrganizationID)
		if err != nil {
			return err
		}
		e := WebhookEndpoint{OrganizationID: org.ID, URL: in.URL, Events: slices.Clone(in.Events), Description: in.Description,
			AllOrganizations: in.AllOrganizations, Enabled: true}
		f := fields{}
		s.checkEndpoint(f, &e)
		if e.AllOrganizations && (!org.IsOperator || !a.IsOperatorAdmin()) {
			f.add("all_organizations", "Only the operator organization's endpoints may take every organization's events.")
		}
		if err := f.err(); err != nil {
			return err
		}
		row := store.WebhookEndpoint{ID: newID(prefixWebhook), OrgID: org.ID, URL: e.URL, Description: e.Description,
			Events: encodeFeatures(e.Events), AllOrgs: e.AllOrganizations, Secret: webhook.NewSecret(), Enabled: true,
			CreatedAt: tx.Now, UpdatedAt: tx.Now}
		if err := tx.InsertWebhookEndpoint(ctx, row); err != nil {
			return errInternal("insert webhook endpoint: %w", err)
		}
		out = NewWebhookEndpoint{WebhookEndpoint: endpointFromRow(row), Secret: row.Secret}
		return s.audit(ctx, tx, a, AuditRecord{Action: "webhook.created", TargetType: "webhook", TargetID: row.ID, OrgID: org.ID,
			Details: map[string]any{"url": row.URL, "events": e.Events, "all_organizations": e.AllOrganizations}})
	})
	return out, err
}

// endpointFor loads an endpoint the actor may manage; others get not found.
func endpointFor(ctx context.Context, tx *store.Tx, a Actor, id string) (store.WebhookEndpoint, error) {
	row, err := tx.WebhookEndpoint(ctx, strings.TrimSpace(id))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.IsOrgAdmin(row.OrgID)) {
		return row, errNotFound("Webhook endpoint")
	}
	if err != nil {
		return row, errInternal("read webhook endpoint: %w", err)
	}
	return row, nil
}

// WebhookEndpointByID reads one endpoint.
func (s *Service) WebhookEndpointByID(ctx context.Context, a Actor, id string) (WebhookEndpoint, error) {
	var out WebhookEndpoint
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		row, err := endpointFor(ctx, tx, a, id)
		out = endpointFromRow(row)
		return err
	})
	return out, err
}

// WebhookEndpointPage is one page of endpoints.
type WebhookEndpointPage struct {
	Endpoints  []WebhookEndpoint `json:"webhooks"`
	NextCursor Cursor            `json:"next_cursor"`
}

// ListWebhookEndpoints lists endpoints: operators all (or one
// organization's), an organization's admins theirs.
func (s *Service) ListWebhookEndpoints(ctx context.Context, a Actor, orgRef, cursor string, limit int) (WebhookEndpointPage, error) {
	limit = clampLimit(limit)
	page := WebhookEndpointPage{Endpoints: []WebhookEndpoint{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		orgID := ""
		switch {
		case orgRef != "":
			org, err := s.orgFor(ctx, tx, a, orgRef)
			if err != nil {
				return err
			}
			orgID = org.ID
		case !a.IsOperatorAdmin():
			if !a.IsOrgAdmin(a.OrgID) {
				return errForbidden("")
			}
			orgID = a.OrgID
		}
		rows, err := tx.WebhookEndpoints(ctx, orgID, cursor, limit+1)
		if err != nil {
			return errInternal("list webhook endpoints: %w", err)
		}
		for i, r := range rows {
			if i == limit {
				page.NextCursor = Cursor(rows[i-1].ID)
				break
			}
			page.Endpoints = append(page.Endpoints, endpointFromRow(r))
		}
		return nil
	})
	return page, err
}

// UpdateWebhookEndpoint changes an endpoint's URL, events, description or
// enabled state.
func (s *Service) UpdateWebhookEndpoint(ctx context.Context, a Actor, id string, p WebhookPatch) (WebhookEndpoint, error) {
	var out WebhookEndpoint
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := endpointFor(ctx, tx, a, id)
		if err != nil {
			return err
		}
		e := endpointFromRow(row)
		if p.URL != nil {
			e.URL = *p.URL
		}
		if p.Events != nil {
			e.Events = slices.Clone(*p.Events)
		}
		if p.Description != nil {
			e.Description = *p.Description
		}
		f := fields{}
		s.checkEndpoint(f, &e)
		if err := f.err(); err != nil {
			return err
		}
		row.URL, row.Events, row.Description, row.UpdatedAt = e.URL, encodeFeatures(e.Events), e.Description, tx.Now
		if p.Enabled != nil && *p.Enabled != row.Enabled {
			row.Enabled, row.DisabledReason, row.FailingSince = *p.Enabled, "", time.Time{}
			if !row.Enabled {
				row.DisabledReason = "Disabled by " + a.Label + "."
			}
		}
		if err := tx.UpdateWebhookEndpoint(ctx, row); err != nil {
			return errInternal("update webhook endpoint: %w", err)
		}
		out = endpointFromRow(row)
		return s.audit(ctx, tx, a, AuditRecord{Action: "webhook.updated", TargetType: "webhook", TargetID: row.ID, OrgID: row.OrgID,
			Details: map[string]any{"url": row.URL, "events": out.Events, "enabled": row.Enabled}})
	})
	return out, err
}

// RotateWebhookSecret gives an endpoint a new secret, shown once; the old
// one keeps signing (a second signature) for 24 hours, so receivers can
// switch without losing a message.
func (s *Service) RotateWebhookSecret(ctx context.Context, a Actor, id string) (NewWebhookEndpoint, error) {
	var out NewWebhookEndpoint
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := endpointFor(ctx, tx, a, id)
		if err != nil {
			return err
		}
		row.PreviousSecret, row.PreviousSecretUntil = row.Secret, tx.Now.Add(previousSecretLifetime)
		row.Secret, row.UpdatedAt = webhook.NewSecret(), tx.Now
		if err := tx.UpdateWebhookEndpoint(ctx, row); err != nil {
			return errInternal("rotate webhook secret: %w", err)
		}
		out = NewWebhookEndpoint{WebhookEndpoint: endpointFromRow(row), Secret: row.Secret}
		return s.audit(ctx, tx, a, AuditRecord{Action: "webhook.secret_rotated", TargetType: "webhook", TargetID: row.ID, OrgID: row.OrgID,
			Details: map[string]any{"previous_secret_until": row.PreviousSecretUntil}})
	})
	return out, err
}

// DeleteWebhookEndpoint removes an endpoint and its delivery log.
func (s *Service) DeleteWebhookEndpoint(ctx context.Context, a Actor, id string) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		row, err := endpointFor(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteWebhookEndpoint(ctx, row.ID); err != nil {
			return errInternal("delete webhook endpoint: %w", err)
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: "webhook.deleted", TargetType: "webhook", TargetID: row.ID, OrgID: row.OrgID,
			Details: map[string]any{"url": row.URL}})
	})
}

// orgFor resolves an organization an actor may manage webhooks of: any
// for operator admins, their own for an organization's admins.
func (s *Service) orgFor(ctx context.Context, tx *store.Tx, a Actor, ref string) (Organization, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return Organization{}, errInvalid(map[string]string{"organization_id": "Name the organization (id or slug)."})
	}
	row, err := tx.Organization(ctx, ref)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.IsOrgAdmin(row.ID)) {
		return Organization{}, errNotFound("Organization")
	}
	if err != nil {
		return Organization{}, errInternal("read organization: %w", err)
	}
	return orgFromRow(row), nil
}
