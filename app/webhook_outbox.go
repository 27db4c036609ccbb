package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"optare/store"
)

// webhookPayload is the body of every webhook message.
type webhookPayload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// newSortableID is prefix, the time in milliseconds (hex, fixed width) and
// randomness: ids that sort by creation, for the delivery log's cursor.
func newSortableID(prefix string, t time.Time) string {
	return fmt.Sprintf("%s%012x%s", prefix, t.UnixMilli(), newID("")[:10])
}

// emit writes an event to the outbox in the caller's transaction, with a
// delivery for each enabled endpoint that takes it: the organization's own,
// the operator's endpoints for every organization, and, for catalogue
// events (orgID ""), every endpoint. Nothing is written when no endpoint
// takes the event. The worker delivers after the commit, so an event
// exists exactly when its change does.
func (s *Service) emit(ctx context.Context, tx *store.Tx, orgID, typ string, data any) error {
	eps, err := tx.MatchingEndpoints(ctx, orgID)
	if err != nil {
		return errInternal("match webhook endpoints: %w", err)
	}
	eps = slices.DeleteFunc(eps, func(e store.WebhookEndpoint) bool {
		var events []string
		json.Unmarshal([]byte(e.Events), &events) // written by encodeFeatures only
		return !slices.Contains(events, typ)
	})
	if len(eps) == 0 {
		return nil
	}
	return s.enqueue(ctx, tx, orgID, typ, data, eps)
}

// enqueue writes one event and its deliveries to eps, due now.
func (s *Service) enqueue(ctx context.Context, tx *store.Tx, orgID, typ string, data any, eps []store.WebhookEndpoint) error {
	body, err := EncodeJSON(webhookPayload{Type: typ, Timestamp: tx.Now, Data: data})
	if err != nil {
		return errInternal("encode webhook payload: %w", err)
	}
	ev := store.WebhookEvent{ID: newSortableID("msg_", tx.Now), OrgID: orgID, Type: typ, Payload: string(body), CreatedAt: tx.Now}
	if err := tx.InsertWebhookEvent(ctx, ev); err != nil {
		return errInternal("insert webhook event: %w", err)
	}
	for _, e := range eps {
		d := store.WebhookDelivery{ID: newSortableID("whd_", tx.Now), EventID: ev.ID, EndpointID: e.ID, Status: store.DeliveryPending,
			NextAttemptAt: tx.Now, CreatedAt: tx.Now, UpdatedAt: tx.Now}
		if err := tx.InsertWebhookDelivery(ctx, d); err != nil {
			return errInternal("insert webhook delivery: %w", err)
		}
	}
	return nil
}

// subscriptionEvent names the webhook event of a subscription change.
func subscriptionEvent(status string, statusChanged bool) string {
	switch {
	case statusChanged && status == StatusCancelled:
		return "subscription.cancelled"
	case statusChanged && status == StatusExpired:
		return "subscription.expired"
	}
	return "subscription.updated"
}

// seatEvent is the data of seat.assigned: the seat as the API lists it,
// with its subscription.
type seatEvent struct {
	Seat
	SubscriptionID string `json:"subscription_id"`
}
