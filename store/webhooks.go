package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// WebhookEndpoint is a webhook_endpoints row. The secrets are stored
// encrypted like the signing keys (see sealSecret).
type WebhookEndpoint struct {
	ID, OrgID, URL, Description string
	Events                      []string // event types, stored as a JSON array
	AllOrgs                     bool
	Secret, PreviousSecret      string
	PreviousSecretUntil         time.Time
	Enabled                     bool
	DisabledReason              string
	FailingSince                time.Time
	CreatedAt, UpdatedAt        time.Time
}

const endpointColumns = "id, org_id, url, description, events, all_orgs, secret, previous_secret, previous_secret_until, enabled, disabled_reason, failing_since, created_at, updated_at"

func scanEndpoint(row scanner) (WebhookEndpoint, error) {
	var e WebhookEndpoint
	var prevUntil, failing sql.NullString
	var created, updated, events string
	err := row.Scan(&e.ID, &e.OrgID, &e.URL, &e.Description, &events, &e.AllOrgs, &e.Secret, &e.PreviousSecret, &prevUntil,
		&e.Enabled, &e.DisabledReason, &failing, &created, &updated)
	if err != nil {
		return e, mapErr(err)
	}
	if e.Events, err = decodeList(events); err != nil {
		return e, fmt.Errorf("webhook endpoint %s: %w", e.ID, err)
	}
	e.PreviousSecretUntil, e.FailingSince = parseNullTime(prevUntil), parseNullTime(failing)
	e.CreatedAt, e.UpdatedAt = parseTime(created), parseTime(updated)
	return e, nil
}

// sealSecret encrypts a webhook signing secret with the key that encrypts
// the signing keys (bound to the endpoint's id), as text: the prefix and
// base64. Without that key the secret is stored as is.
func (tx *Tx) sealSecret(id, secret string) (string, error) {
	if secret == "" {
		return "", nil
	}
	b, err := sealKey(tx.kek, "webhook:"+id, []byte(secret))
	if err != nil || !bytes.HasPrefix(b, encPrefix) {
		return secret, err
	}
	return string(encPrefix) + base64.StdEncoding.EncodeToString(b[len(encPrefix):]), nil
}

// openSecret decrypts what sealSecret wrote.
func (tx *Tx) openSecret(id, stored string) (string, error) {
	if !strings.HasPrefix(stored, string(encPrefix)) {
		return stored, nil
	}
	raw, err := base64.StdEncoding.DecodeString(stored[len(encPrefix):])
	if err != nil {
		return "", fmt.Errorf("webhook secret of %s: %w", id, ErrWrongEncryptionKey)
	}
	b, err := openKey(tx.kek, "webhook:"+id, append(bytes.Clone(encPrefix), raw...))
	return string(b), err
}

// sealed returns e with its secrets encrypted for storage.
func (tx *Tx) sealed(e WebhookEndpoint) (WebhookEndpoint, error) {
	var err error
	if e.Secret, err = tx.sealSecret(e.ID, e.Secret); err != nil {
		return e, err
	}
	e.PreviousSecret, err = tx.sealSecret(e.ID, e.PreviousSecret)
	return e, err
}

// opened decrypts the secrets of endpoints read from the database.
func (tx *Tx) opened(es []WebhookEndpoint, err error) ([]WebhookEndpoint, error) {
	if err != nil {
		return nil, err
	}
	for i := range es {
		if es[i].Secret, err = tx.openSecret(es[i].ID, es[i].Secret); err != nil {
			return nil, err
		}
		if es[i].PreviousSecret, err = tx.openSecret(es[i].ID, es[i].PreviousSecret); err != nil {
			return nil, err
		}
	}
	return es, nil
}

// InsertWebhookEndpoint adds an endpoint.
func (tx *Tx) InsertWebhookEndpoint(ctx context.Context, e WebhookEndpoint) error {
	e, err := tx.sealed(e)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, "INSERT INTO webhook_endpoints ("+endpointColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		e.ID, e.OrgID, e.URL, e.Description, encodeList(e.Events), e.AllOrgs, e.Secret, e.PreviousSecret, nullTime(e.PreviousSecretUntil),
		e.Enabled, e.DisabledReason, nullTime(e.FailingSince), formatTime(e.CreatedAt), formatTime(e.UpdatedAt))
	return err
}

// UpdateWebhookEndpoint writes back every mutable column.
func (tx *Tx) UpdateWebhookEndpoint(ctx context.Context, e WebhookEndpoint) error {
	e, err := tx.sealed(e)
	if err != nil {
		return err
	}
	return tx.execOne(ctx, `UPDATE webhook_endpoints SET url = ?, description = ?, events = ?, all_orgs = ?, secret = ?,
		previous_secret = ?, previous_secret_until = ?, enabled = ?, disabled_reason = ?, failing_since = ?, updated_at = ? WHERE id = ?`,
		e.URL, e.Description, encodeList(e.Events), e.AllOrgs, e.Secret, e.PreviousSecret, nullTime(e.PreviousSecretUntil), e.Enabled,
		e.DisabledReason, nullTime(e.FailingSince), formatTime(e.UpdatedAt), e.ID)
}

// DeleteWebhookEndpoint removes an endpoint with its deliveries and attempts.
func (tx *Tx) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	if _, err := tx.exec(ctx, "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = ?)", id); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "DELETE FROM webhook_deliveries WHERE endpoint_id = ?", id); err != nil {
		return err
	}
	return tx.execOne(ctx, "DELETE FROM webhook_endpoints WHERE id = ?", id)
}

// WebhookEndpoint finds an endpoint.
func (tx *Tx) WebhookEndpoint(ctx context.Context, id string) (WebhookEndpoint, error) {
	e, err := scanEndpoint(tx.queryRow(ctx, "SELECT "+endpointColumns+" FROM webhook_endpoints WHERE id = ?", id))
	if err != nil {
		return e, err
	}
	es, err := tx.opened([]WebhookEndpoint{e}, nil)
	if err != nil {
		return e, err
	}
	return es[0], nil
}

// WebhookEndpoints lists endpoints (of one organization when orgID is set)
// ordered by id after the cursor.
func (tx *Tx) WebhookEndpoints(ctx context.Context, orgID, after string, limit int) ([]WebhookEndpoint, error) {
	q, args := "SELECT "+endpointColumns+" FROM webhook_endpoints WHERE id > ?", []any{after}
	if orgID != "" {
		q += " AND org_id = ?"
		args = append(args, orgID)
	}
	rows, err := tx.query(ctx, q+" ORDER BY id LIMIT ?", append(args, max(limit, 1))...)
	return tx.opened(collect(rows, err, scanEndpoint))
}

// MatchingEndpoints lists the enabled endpoints an event of orgID reaches:
// the organization's own, those taking every organization's events, and
// for catalogue events (orgID "") all of them. The caller filters by type.
func (tx *Tx) MatchingEndpoints(ctx context.Context, orgID string) ([]WebhookEndpoint, error) {
	rows, err := tx.query(ctx, "SELECT "+endpointColumns+` FROM webhook_endpoints
		WHERE enabled = 1 AND (org_id = ? OR all_orgs = 1 OR ? = '') ORDER BY id`, orgID, orgID)
	return collect(rows, err, scanEndpoint) // emitting needs no secret
}

// WebhookEvent is a webhook_events row: one outbox entry.
type WebhookEvent struct {
	ID, OrgID, Type, Payload string
	CreatedAt                time.Time
}

// InsertWebhookEvent writes an event to the outbox.
func (tx *Tx) InsertWebhookEvent(ctx context.Context, e WebhookEvent) error {
	_, err := tx.exec(ctx, "INSERT INTO webhook_events (id, org_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?)",
		e.ID, e.OrgID, e.Type, e.Payload, formatTime(e.CreatedAt))
	return err
}

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliverySucceeded = "succeeded"
	DeliveryFailed    = "failed"
)

// WebhookDelivery is a webhook_deliveries row with its event and, for the
// worker, its endpoint.
type WebhookDelivery struct {
	ID, EventID, EndpointID, Status string
	Attempts                        int
	NextAttemptAt                   time.Time
	CreatedAt, UpdatedAt            time.Time
	Event                           WebhookEvent
}

// InsertWebhookDelivery queues an event for an endpoint.
func (tx *Tx) InsertWebhookDelivery(ctx context.Context, d WebhookDelivery) error {
	_, err := tx.exec(ctx, `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, d.EventID, d.EndpointID, d.Status, d.Attempts, nullTime(d.NextAttemptAt),
		formatTime(d.CreatedAt), formatTime(d.UpdatedAt))
	return err
}

// UpdateWebhookDelivery writes back a delivery's state after an attempt.
func (tx *Tx) UpdateWebhookDelivery(ctx context.Context, d WebhookDelivery) error {
	return tx.execOne(ctx, "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?",
		d.Status, d.Attempts, nullTime(d.NextAttemptAt), formatTime(d.UpdatedAt), d.ID)
}

const deliveryColumns = `d.id, d.event_id, d.endpoint_id, d.status, d.attempts, d.next_attempt_at, d.created_at, d.updated_at,
	e.id, e.org_id, e.type, e.payload, e.created_at`

const deliveryFrom = " FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id"

func scanDelivery(row scanner) (WebhookDelivery, error) {
	var d WebhookDelivery
	var next sql.NullString
	var created, updated, evCreated string
	err := row.Scan(&d.ID, &d.EventID, &d.EndpointID, &d.Status, &d.Attempts, &next, &created, &updated,
		&d.Event.ID, &d.Event.OrgID, &d.Event.Type, &d.Event.Payload, &evCreated)
	if err != nil {
		return d, mapErr(err)
	}
	d.NextAttemptAt, d.CreatedAt, d.UpdatedAt, d.Event.CreatedAt = parseNullTime(next), parseTime(created), parseTime(updated), parseTime(evCreated)
	return d, nil
}

// DueDeliveries lists up to limit pending deliveries whose next attempt
// is due at now, oldest first.
func (tx *Tx) DueDeliveries(ctx context.Context, limit int) ([]WebhookDelivery, error) {
	rows, err := tx.query(ctx, "SELECT "+deliveryColumns+deliveryFrom+
		" WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?", formatTime(tx.Now), limit)
	return collect(rows, err, scanDelivery)
}

// WebhookDelivery finds a delivery.
func (tx *Tx) WebhookDelivery(ctx context.Context, id string) (WebhookDelivery, error) {
	return scanDelivery(tx.queryRow(ctx, "SELECT "+deliveryColumns+deliveryFrom+" WHERE d.id = ?", id))
}

// WebhookDeliveries lists an endpoint's deliveries, newest first, before
// the cursor id (deliveries ids sort by time: see app).
func (tx *Tx) WebhookDeliveries(ctx context.Context, endpointID, before string, limit int) ([]WebhookDelivery, error) {
	q, args := "SELECT "+deliveryColumns+deliveryFrom+" WHERE d.endpoint_id = ?", []any{endpointID}
	if before != "" {
		q += " AND d.id < ?"
		args = append(args, before)
	}
	rows, err := tx.query(ctx, q+" ORDER BY d.id DESC LIMIT ?", append(args, max(limit, 1))...)
	return collect(rows, err, scanDelivery)
}

// WebhookAttempt is one delivery attempt: the delivery log.
type WebhookAttempt struct {
	DeliveryID   string
	Attempt      int
	AttemptedAt  time.Time
	ResponseCode int
	ResponseBody string
	LatencyMS    int64
	Error        string
}

// InsertWebhookAttempt records an attempt.
func (tx *Tx) InsertWebhookAttempt(ctx context.Context, a WebhookAttempt) error {
	_, err := tx.exec(ctx, `INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, response_code, response_body, latency_ms, error)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.DeliveryID, a.Attempt, formatTime(a.AttemptedAt), a.ResponseCode, a.ResponseBody, a.LatencyMS, a.Error)
	return err
}

// WebhookAttempts lists a delivery's attempts, first first.
func (tx *Tx) WebhookAttempts(ctx context.Context, deliveryID string) ([]WebhookAttempt, error) {
	rows, err := tx.query(ctx, `SELECT delivery_id, attempt, attempted_at, response_code, response_body, latency_ms, error
		FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt`, deliveryID)
	return collect(rows, err, func(row scanner) (WebhookAttempt, error) {
		var a WebhookAttempt
		var at string
		err := row.Scan(&a.DeliveryID, &a.Attempt, &at, &a.ResponseCode, &a.ResponseBody, &a.LatencyMS, &a.Error)
		a.AttemptedAt = parseTime(at)
		return a, mapErr(err)
	})
}
