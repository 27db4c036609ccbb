package web

import (
	"fmt"
	"net/http"
	"strings"

	"optare/app"
	"optare/views"
)

var webhookFormFields = []string{"organization_id", "url", "events", "all_organizations", "description"}

func (h *Handler) webhookList(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	vm, err := h.webhooksModel(r, acc, actor)
	if err != nil {
		return err
	}
	vm.Form = views.WebhookForm{Orgs: vm.Form.Orgs, OrgID: acc.Org.ID, EventTypes: app.WebhookEventTypes}
	return h.render(w, r, http.StatusOK, views.WebhooksView(vm))
}

func (h *Handler) webhooksModel(r *http.Request, acc app.Account, actor app.Actor) (views.WebhooksPage, error) {
	orgs, err := h.allOrganizations(r, actor)
	if err != nil {
		return views.WebhooksPage{}, err
	}
	page, err := h.svc.ListWebhookEndpoints(r.Context(), actor, "", "", app.MaxLimit)
	if err != nil {
		return views.WebhooksPage{}, err
	}
	vm := views.WebhooksPage{Page: h.page(r, "Webhooks", views.SectionAdmin, "webhooks"), Form: views.WebhookForm{Orgs: orgs}}
	for _, e := range page.Endpoints {
		vm.Rows = append(vm.Rows, webhookRow(e, orgs))
	}
	return vm, nil
}

func webhookRow(e app.WebhookEndpoint, orgs []views.OrgChoice) views.WebhookRow {
	row := views.WebhookRow{ID: e.ID, Org: e.OrganizationID, URL: e.URL, Description: e.Description, Events: strings.Join(e.Events, ", "),
		Created: e.CreatedAt.UTC().Format(timeLayout), AllOrgs: e.AllOrganizations, Enabled: e.Enabled, DisabledReason: e.DisabledReason}
	for _, o := range orgs {
		if o.ID == e.OrganizationID {
			row.Org = o.Name
		}
	}
	if e.FailingSince != nil {
		row.FailingSince = e.FailingSince.UTC().Format(timeLayout)
	}
	return row
}

func (h *Handler) webhookCreate(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	f := r.PostForm
	in := app.WebhookInput{OrganizationID: f.Get("organization_id"), URL: f.Get("url"), Events: f["events"], Description: f.Get("description"),
		AllOrganizations: f.Get("all_organizations") == "true"}
	ep, err := h.svc.CreateWebhookEndpoint(r.Context(), actor, in)
	if err != nil {
		e, ok := formFailure(err, app.KindNotFound)
		if !ok {
			return err
		}
		vm, verr := h.webhooksModel(r, acc, actor)
		if verr != nil {
			return verr
		}
		vm.Form = views.WebhookForm{Orgs: vm.Form.Orgs, OrgID: in.OrganizationID, URL: in.URL, Desc: in.Description, EventTypes: app.WebhookEventTypes,
			Checked: in.Events, AllOrgs: in.AllOrganizations, Fields: e.Fields, Error: otherErrors(e, webhookFormFields)}
		return h.render(w, r, http.StatusUnprocessableEntity, views.WebhooksView(vm))
	}
	return h.renderSecret(w, r, views.SecretPage{Page: h.page(r, "Webhook endpoint created", views.SectionAdmin, "webhooks"),
		Heading: "Webhook endpoint created", Intro: "Events for " + ep.URL + " are signed with this secret.", Kept: true,
		Items: []views.SecretItem{{ID: "webhook-secret", Label: "Signing secret", Value: ep.Secret, Secret: true,
			Help: "Give it to the receiver's Standard Webhooks library to verify webhook-signature."}},
		DoneURL: "/admin/webhooks/" + ep.ID, DoneLabel: "Done, I saved it"})
}

func (h *Handler) webhookDetail(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	ep, err := h.svc.WebhookEndpointByID(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	orgs, err := h.allOrganizations(r, actor)
	if err != nil {
		return err
	}
	page, err := h.svc.ListWebhookDeliveries(r.Context(), actor, ep.ID, "", 50)
	if err != nil {
		return err
	}
	vm := views.WebhookDetailPage{Page: h.page(r, "Webhook", views.SectionAdmin, "webhooks"), Endpoint: webhookRow(ep, orgs)}
	for _, d := range page.Deliveries {
		row := views.DeliveryRow{ID: d.ID, Event: d.EventType, EventID: d.EventID, Status: d.Status, Attempts: d.Attempts,
			Created: d.CreatedAt.UTC().Format(timeLayout)}
		if d.NextAttemptAt != nil {
			row.Next = d.NextAttemptAt.UTC().Format(timeLayout)
		}
		if n := len(d.Log); n > 0 {
			last := d.Log[n-1]
			row.Body, row.Error, row.Latency = last.ResponseBody, last.Error, fmt.Sprintf("%d ms", last.LatencyMS)
			if last.ResponseCode != 0 {
				row.Code = fmt.Sprint(last.ResponseCode)
			}
		}
		vm.Deliveries = append(vm.Deliveries, row)
	}
	return h.render(w, r, http.StatusOK, views.WebhookDetailView(vm))
}

// webhookAction runs one change on an endpoint and returns to its page
// with a flash.
func (h *Handler) webhookAction(kind string) accountFunc {
	return func(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
		id := r.PathValue("id")
		var err error
		var flash string
		switch kind {
		case "test":
			_, err = h.svc.SendTestWebhook(r.Context(), actor, id)
			flash = "A test event is on its way."
		case "replay":
			_, err = h.svc.ReplayWebhookDelivery(r.Context(), actor, id, r.PathValue("delivery"))
			flash = "The event is queued again."
		default:
			on := kind == "enable"
			_, err = h.svc.UpdateWebhookEndpoint(r.Context(), actor, id, app.WebhookPatch{Enabled: &on})
			flash = "The endpoint is " + kind + "d."
		}
		if err != nil {
			return err
		}
		h.sessions.Put(r.Context(), keyFlash, flash)
		redirectAfterPost(w, r, "/admin/webhooks/"+id)
		return nil
	}
}

// portalWebhooks shows a customer organization's owners and admins their
// endpoints and why Optare disabled one; the domain refuses members.
func (h *Handler) portalWebhooks(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	page, err := h.svc.ListWebhookEndpoints(r.Context(), actor, acc.Org.ID, "", app.MaxLimit)
	if err != nil {
		return err
	}
	vm := views.PortalWebhooksPage{Page: h.page(r, "Webhooks", views.SectionPortal, "webhooks")}
	for _, e := range page.Endpoints {
		vm.Rows = append(vm.Rows, webhookRow(e, nil))
	}
	return h.render(w, r, http.StatusOK, views.PortalWebhooksView(vm))
}
