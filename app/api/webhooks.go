package api

import (
	"net/http"

	"optare/app"
)

func (h *Handler) webhookList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	p, err := h.svc.ListWebhookEndpoints(r.Context(), a, r.URL.Query().Get("organization_id"), cursor, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) webhookCreate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.WebhookInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e, err := h.svc.CreateWebhookEndpoint(r.Context(), a, in)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, e)
}

func (h *Handler) webhookGet(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	e, err := h.svc.WebhookEndpointByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

func (h *Handler) webhookUpdate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.WebhookPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e, err := h.svc.UpdateWebhookEndpoint(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

func (h *Handler) webhookDelete(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	if err := h.svc.DeleteWebhookEndpoint(r.Context(), a, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) webhookRotate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	e, err := h.svc.RotateWebhookSecret(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, e)
}

func (h *Handler) webhookDeliveries(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	p, err := h.svc.ListWebhookDeliveries(r.Context(), a, r.PathValue("id"), cursor, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) webhookTest(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	d, err := h.svc.SendTestWebhook(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}

func (h *Handler) webhookReplay(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	d, err := h.svc.ReplayWebhookDelivery(r.Context(), a, r.PathValue("id"), r.PathValue("delivery"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}

// webhookRoutes lists the webhook routes.
func (h *Handler) webhookRoutes(list []string) []route {
	who := "Operators (any organization); an organization's admins and API keys their own."
	return []route{
		{Method: "GET", Pattern: "/webhooks", Summary: "List webhook endpoints", Description: who, Response: "WebhookPage", Query: append(list, "organization_id"), fn: h.webhookList},
		{Method: "POST", Pattern: "/webhooks", Summary: "Create a webhook endpoint", Description: who + " The secret (whsec_…) is in this answer only. all_organizations only for the operator organization's endpoints.", Request: "WebhookInput", Response: "NewWebhook", Status: http.StatusCreated, fn: h.webhookCreate},
		{Method: "GET", Pattern: "/webhooks/{id}", Summary: "Get a webhook endpoint", Response: "Webhook", fn: h.webhookGet},
		{Method: "PATCH", Pattern: "/webhooks/{id}", Summary: "Change, disable or enable a webhook endpoint", Request: "WebhookPatch", Response: "Webhook", fn: h.webhookUpdate},
		{Method: "DELETE", Pattern: "/webhooks/{id}", Summary: "Delete a webhook endpoint and its delivery log", Status: http.StatusNoContent, fn: h.webhookDelete},
		{Method: "POST", Pattern: "/webhooks/{id}/rotate-secret", Summary: "New signing secret (shown once); the old one also signs for 24 hours", Response: "NewWebhook", fn: h.webhookRotate},
		{Method: "GET", Pattern: "/webhooks/{id}/deliveries", Summary: "Delivery log, newest first", Response: "WebhookDeliveryPage", Query: list, fn: h.webhookDeliveries},
		{Method: "POST", Pattern: "/webhooks/{id}/test", Summary: "Send a webhook.test event to this endpoint", Response: "WebhookDelivery", Status: http.StatusCreated, fn: h.webhookTest},
		{Method: "POST", Pattern: "/webhooks/{id}/deliveries/{delivery}/replay", Summary: "Send a delivery's event again (same webhook-id)", Response: "WebhookDelivery", Status: http.StatusCreated, fn: h.webhookReplay},
	}
}

// webhookSchemas adds the webhook schemas to all.
func webhookSchemas(all obj) {
	events := arrayOf(obj{"type": "string", "enum": app.WebhookEventTypes})
	ep := obj{"id": str("whk_…"), "organization_id": str(""), "url": str(""), "description": str(""), "events": events,
		"all_organizations": boolean(), "enabled": boolean(), "disabled_reason": str("why it was disabled (410 Gone, 5 days of failures, a person)"),
		"failing_since": nullable("string", "date-time"), "created_at": dateTime, "updated_at": dateTime}
	all["Webhook"] = record(ep)
	withSecret := obj{"secret": str("whsec_…: shown only here")}
	for k, v := range ep {
		withSecret[k] = v
	}
	all["NewWebhook"] = record(withSecret)
	all["WebhookPage"] = listOf("webhooks", "Webhook")
	all["WebhookInput"] = object([]string{"organization_id", "url", "events"}, obj{"organization_id": str("id or slug"), "url": str("http(s); private, loopback and link-local targets are refused"),
		"events": events, "description": str(""), "all_organizations": boolean()})
	all["WebhookPatch"] = object(nil, obj{"url": str(""), "events": events, "description": str(""), "enabled": boolean()})
	attempt := record(obj{"attempt": integer(), "attempted_at": dateTime, "response_code": integer(), "response_body": str("first 1 KiB"),
		"latency_ms": integer(), "error": str("")}, "error")
	all["WebhookDelivery"] = record(obj{"id": str("whd_…"), "endpoint_id": str(""), "event_id": str("msg_…: the webhook-id header"),
		"event_type": str(""), "status": obj{"type": "string", "enum": []string{"pending", "succeeded", "failed"}}, "attempts": integer(),
		"next_attempt_at": nullable("string", "date-time"), "created_at": dateTime, "log": arrayOf(attempt)})
	all["WebhookDeliveryPage"] = listOf("deliveries", "WebhookDelivery")
}
