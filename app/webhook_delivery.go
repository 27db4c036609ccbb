package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"optare/app/webhook"
	"optare/store"
)

// WebhookRetries are the waits after each failed attempt (Standard
// Webhooks' usual schedule); after the last, the delivery has failed.
var WebhookRetries = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
	10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour}

// WebhookFailingLimit disables an endpoint that has failed this long
// without a single success.
const WebhookFailingLimit = 5 * 24 * time.Hour

// webhookBatch bounds one worker pass.
const webhookBatch = 50

// DeliverWebhooks is one pass of the webhook worker: it sends every due
// delivery (oldest first, at most 50), records each attempt and schedules
// the next or gives up, and reports how many it attempted. Serve runs it
// every second through AsLeader, so one replica at a time delivers.
func (s *Service) DeliverWebhooks(ctx context.Context) (int, error) {
	var due []store.WebhookDelivery
	eps := map[string]store.WebhookEndpoint{}
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if due, err = tx.DueDeliveries(ctx, webhookBatch); err != nil {
			return err
		}
		for _, d := range due {
			if _, ok := eps[d.EndpointID]; !ok {
				if eps[d.EndpointID], err = tx.WebhookEndpoint(ctx, d.EndpointID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("read due webhooks: %w", err)
	}
	for _, d := range due {
		ep := eps[d.EndpointID]
		var res webhook.Result
		now := s.now().UTC()
		if ep.Enabled {
			secrets := []string{ep.Secret}
			if ep.PreviousSecret != "" && now.Before(ep.PreviousSecretUntil) {
				secrets = append(secrets, ep.PreviousSecret)
			}
			res = s.webhooks.Send(ctx, ep.URL, d.Event.ID, now, []byte(d.Event.Payload), secrets...)
		} else {
			res.Err = errors.New("endpoint disabled")
		}
		if err := s.recordAttempt(ctx, d, res); err != nil {
			return 0, err
		}
		s.metrics.WebhookDelivery(deliveryResult(ep.Enabled, res))
	}
	return len(due), nil
}

// deliveryResult names an attempt's outcome for the deliveries metric.
func deliveryResult(enabled bool, res webhook.Result) string {
	switch {
	case !enabled:
		return "endpoint_disabled"
	case res.OK():
		return "success"
	case errors.Is(res.Err, webhook.ErrPrivateTarget):
		return "blocked"
	case res.Err != nil:
		return "network_error"
	default:
		return "http_error"
	}
}

// recordAttempt logs an attempt and moves the delivery on: succeeded,
// retried after the next wait, or failed. 410 Gone disables the endpoint;
// so does a failure streak of WebhookFailingLimit.
func (s *Service) recordAttempt(ctx context.Context, d store.WebhookDelivery, res webhook.Result) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		ep, err := tx.WebhookEndpoint(ctx, d.EndpointID)
		if errors.Is(err, store.ErrNotFound) {
			return nil // deleted meanwhile, with its deliveries
		}
		if err != nil {
			return fmt.Errorf("read webhook endpoint: %w", err)
		}
		d.Attempts++
		msg := ""
		if res.Err != nil {
			msg = res.Err.Error()
			if errors.Is(res.Err, webhook.ErrPrivateTarget) {
				msg = webhook.ErrPrivateTarget.Error()
			}
		}
		if err := tx.InsertWebhookAttempt(ctx, store.WebhookAttempt{DeliveryID: d.ID, Attempt: d.Attempts, AttemptedAt: tx.Now,
			ResponseCode: res.Status, ResponseBody: res.Body, LatencyMS: res.Latency.Milliseconds(), Error: msg}); err != nil {
			return fmt.Errorf("log webhook attempt: %w", err)
		}
		d.UpdatedAt, d.NextAttemptAt = tx.Now, time.Time{}
		epChanged := false
		switch {
		case res.OK():
			d.Status = store.DeliverySucceeded
			if !ep.FailingSince.IsZero() {
				ep.FailingSince, epChanged = time.Time{}, true
			}
		case res.Status == 410 && ep.Enabled:
			d.Status, ep.Enabled, ep.DisabledReason, epChanged = store.DeliveryFailed, false, "The endpoint answered 410 Gone.", true
		default:
			d.Status = store.DeliveryFailed
			if d.Attempts <= len(WebhookRetries) && ep.Enabled {
				d.Status, d.NextAttemptAt = store.DeliveryPending, tx.Now.Add(WebhookRetries[d.Attempts-1])
			}
			if ep.FailingSince.IsZero() {
				ep.FailingSince, epChanged = tx.Now, true
			} else if ep.Enabled && tx.Now.Sub(ep.FailingSince) >= WebhookFailingLimit {
				ep.Enabled, ep.DisabledReason, epChanged = false, "Every delivery failed for 5 days.", true
			}
		}
		if err := tx.UpdateWebhookDelivery(ctx, d); err != nil {
			return fmt.Errorf("update webhook delivery: %w", err)
		}
		if !epChanged {
			return nil
		}
		ep.UpdatedAt = tx.Now
		if err := tx.UpdateWebhookEndpoint(ctx, ep); err != nil {
			return fmt.Errorf("update webhook endpoint: %w", err)
		}
		if ep.Enabled {
			return nil
		}
		return s.audit(ctx, tx, System(), AuditRecord{Action: "webhook.disabled", TargetType: "webhook", TargetID: ep.ID, OrgID: ep.OrgID,
			Details: map[string]any{"reason": ep.DisabledReason}})
	})
}

// WebhookAttempt is one attempt in the delivery log.
type WebhookAttempt struct {
	Attempt      int       `json:"attempt"`
	AttemptedAt  time.Time `json:"attempted_at"`
	ResponseCode int       `json:"response_code"`
	ResponseBody string    `json:"response_body"`
	LatencyMS    int64     `json:"latency_ms"`
	Error        string    `json:"error,omitempty"`
}

// WebhookDelivery is one event's delivery to one endpoint, with its log.
type WebhookDelivery struct {
	ID            string           `json:"id"`
	EndpointID    string           `json:"endpoint_id"`
	EventID       string           `json:"event_id"`
	EventType     string           `json:"event_type"`
	Status        string           `json:"status"`
	Attempts      int              `json:"attempts"`
	NextAttemptAt *time.Time       `json:"next_attempt_at"`
	CreatedAt     time.Time        `json:"created_at"`
	Log           []WebhookAttempt `json:"log"`
}

// WebhookDeliveryPage is one page of an endpoint's deliveries, newest first.
type WebhookDeliveryPage struct {
	Deliveries []WebhookDelivery `json:"deliveries"`
	NextCursor Cursor            `json:"next_cursor"`
}

// ListWebhookDeliveries lists an endpoint's deliveries with every attempt:
// status, response code, the first 1 KiB of the answer, latency.
func (s *Service) ListWebhookDeliveries(ctx context.Context, a Actor, endpointID, cursor string, limit int) (WebhookDeliveryPage, error) {
	limit = clampLimit(limit)
	page := WebhookDeliveryPage{Deliveries: []WebhookDelivery{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		ep, err := endpointFor(ctx, tx, a, endpointID)
		if err != nil {
			return err
		}
		rows, err := tx.WebhookDeliveries(ctx, ep.ID, cursor, limit+1)
		if err != nil {
			return errInternal("list webhook deliveries: %w", err)
		}
		for i, r := range rows {
			if i == limit {
				page.NextCursor = Cursor(rows[i-1].ID)
				break
			}
			d, err := deliveryWithLog(ctx, tx, r)
			if err != nil {
				return err
			}
			page.Deliveries = append(page.Deliveries, d)
		}
		return nil
	})
	return page, err
}

func deliveryWithLog(ctx context.Context, tx *store.Tx, r store.WebhookDelivery) (WebhookDelivery, error) {
	d := WebhookDelivery{ID: r.ID, EndpointID: r.EndpointID, EventID: r.EventID, EventType: r.Event.Type, Status: r.Status,
		Attempts: r.Attempts, CreatedAt: r.CreatedAt, Log: []WebhookAttempt{}}
	if !r.NextAttemptAt.IsZero() {
		t := r.NextAttemptAt
		d.NextAttemptAt = &t
	}
	atts, err := tx.WebhookAttempts(ctx, r.ID)
	if err != nil {
		return d, errInternal("read webhook attempts: %w", err)
	}
	for _, a := range atts {
		d.Log = append(d.Log, WebhookAttempt{Attempt: a.Attempt, AttemptedAt: a.AttemptedAt, ResponseCode: a.ResponseCode,
			ResponseBody: a.ResponseBody, LatencyMS: a.LatencyMS, Error: a.Error})
	}
	return d, nil
}

// SendTestWebhook queues a webhook.test event for one endpoint, delivered
// by the worker like any other.
func (s *Service) SendTestWebhook(ctx context.Context, a Actor, endpointID string) (WebhookDelivery, error) {
	return s.queueForEndpoint(ctx, a, endpointID, func(tx *store.Tx, ep store.WebhookEndpoint) (string, error) {
		if err := s.enqueue(ctx, tx, ep.OrgID, webhookTestEvent, map[string]any{"endpoint_id": ep.ID,
			"message": "A test event sent from Optare."}, []store.WebhookEndpoint{ep}); err != nil {
			return "", err
		}
		return "webhook.test_sent", nil
	})
}

// ReplayWebhookDelivery sends a delivery's event to its endpoint again, as
// a new delivery with the same webhook-id (receivers deduplicate on it).
func (s *Service) ReplayWebhookDelivery(ctx context.Context, a Actor, endpointID, deliveryID string) (WebhookDelivery, error) {
	return s.queueForEndpoint(ctx, a, endpointID, func(tx *store.Tx, ep store.WebhookEndpoint) (string, error) {
		old, err := tx.WebhookDelivery(ctx, strings.TrimSpace(deliveryID))
		if errors.Is(err, store.ErrNotFound) || (err == nil && old.EndpointID != ep.ID) {
			return "", errNotFound("Delivery")
		}
		if err != nil {
			return "", errInternal("read delivery: %w", err)
		}
		d := store.WebhookDelivery{ID: newSortableID("whd_", tx.Now), EventID: old.EventID, EndpointID: ep.ID, Status: store.DeliveryPending,
			NextAttemptAt: tx.Now, CreatedAt: tx.Now, UpdatedAt: tx.Now}
		if err := tx.InsertWebhookDelivery(ctx, d); err != nil {
			return "", errInternal("insert webhook delivery: %w", err)
		}
		return "webhook.replayed", nil
	})
}

// queueForEndpoint runs queue for an endpoint the actor manages, audits
// it, and returns the newest delivery it made.
func (s *Service) queueForEndpoint(ctx context.Context, a Actor, endpointID string, queue func(*store.Tx, store.WebhookEndpoint) (string, error)) (WebhookDelivery, error) {
	var out WebhookDelivery
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		ep, err := endpointFor(ctx, tx, a, endpointID)
		if err != nil {
			return err
		}
		if !ep.Enabled {
			return errConflict("webhook_disabled", "The endpoint is disabled; enable it first.")
		}
		action, err := queue(tx, ep)
		if err != nil {
			return err
		}
		rows, err := tx.WebhookDeliveries(ctx, ep.ID, "", 1)
		if err != nil || len(rows) == 0 {
			return errInternal("read queued delivery: %w", err)
		}
		if out, err = deliveryWithLog(ctx, tx, rows[0]); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, AuditRecord{Action: action, TargetType: "webhook", TargetID: ep.ID, OrgID: ep.OrgID,
			Details: map[string]any{"delivery_id": out.ID, "event_id": out.EventID, "event_type": out.EventType}})
	})
	return out, err
}
