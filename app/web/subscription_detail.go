package web

import (
	"net/http"
	"strconv"

	"optare/app"
	"optare/views"
)

// subscriptionDetail is the admin page of one subscription.
func (h *Handler) subscriptionDetail(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	vm, err := h.subscriptionDetailModel(r, acc, actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, views.SubscriptionDetailView(vm))
}

func (h *Handler) subscriptionDetailModel(r *http.Request, acc app.Account, actor app.Actor, id string) (views.SubscriptionDetailPage, error) {
	sub, err := h.svc.SubscriptionByID(r.Context(), actor, id)
	if err != nil {
		return views.SubscriptionDetailPage{}, err
	}
	summary, err := h.subscriptionSummary(r, actor, sub)
	if err != nil {
		return views.SubscriptionDetailPage{}, err
	}
	seats, err := h.seatsPanel(r, actor, sub, "/admin/subscriptions/"+sub.ID)
	if err != nil {
		return views.SubscriptionDetailPage{}, err
	}
	machines, err := h.machineRows(r, acc, actor, app.ActivationQuery{SubscriptionID: sub.ID})
	if err != nil {
		return views.SubscriptionDetailPage{}, err
	}
	end := ""
	if sub.EndDate != nil {
		end = sub.EndDate.UTC().Format(dateLayout)
	}
	return views.SubscriptionDetailPage{
		Page: h.page(r, summary.Product+" for "+summary.Org, views.SectionAdmin, "subscriptions"),
		Sub:  summary, Seats: seats, Machines: machines,
		Edit: views.SubscriptionEditForm{ID: sub.ID, Seats: strconv.Itoa(sub.TotalSeats), Price: sub.PricePerSeat.String(),
			Currency: sub.Currency, Cycle: sub.BillingCycle, Status: sub.Status, EndDate: end},
	}, nil
}

// subscriptionSummary names the subscription's organization and product.
func (h *Handler) subscriptionSummary(r *http.Request, a app.Actor, sub app.Subscription) (views.SubscriptionSummary, error) {
	org, err := h.svc.OrganizationByRef(r.Context(), a, sub.OrganizationID)
	if err != nil {
		return views.SubscriptionSummary{}, err
	}
	p, err := h.svc.ProductByRef(r.Context(), a, sub.ProductID)
	if err != nil {
		return views.SubscriptionSummary{}, err
	}
	return views.SubscriptionSummary{ID: sub.ID, Org: org.Name, Product: p.Name, Price: sub.PricePerSeat.String() + " " + sub.Currency,
		Cycle: sub.BillingCycle, Status: sub.Status, EndDate: endDate(sub.EndDate), Created: sub.CreatedAt.UTC().Format(timeLayout),
		Live: sub.Status == app.StatusActive || sub.Status == app.StatusTrial}, nil
}

// seatsPanel lists the seat holders and the organization's members without
// a seat, for the assign form.
func (h *Handler) seatsPanel(r *http.Request, a app.Actor, sub app.Subscription, base string) (views.SeatsPanel, error) {
	seats, err := h.svc.ListSeats(r.Context(), a, sub.ID, "", app.MaxLimit)
	if err != nil {
		return views.SeatsPanel{}, err
	}
	users, err := h.svc.ListUsers(r.Context(), a, app.UserQuery{Organization: sub.OrganizationID, Limit: app.MaxLimit})
	if err != nil {
		return views.SeatsPanel{}, err
	}
	p := views.SeatsPanel{BaseURL: base, Used: sub.SeatsUsed, Total: sub.TotalSeats,
		Live: sub.Status == app.StatusActive || sub.Status == app.StatusTrial}
	held := map[string]bool{}
	for _, s := range seats.Seats {
		held[s.UserID] = true
		p.Seats = append(p.Seats, views.SeatRow{UserID: s.UserID, Name: s.Name, Email: s.Email, Since: s.AssignedAt.UTC().Format(timeLayout)})
	}
	for _, u := range users.Users {
		if held[u.ID] || u.Disabled {
			continue
		}
		label := u.Email
		if u.Name != "" {
			label = u.Name + " <" + u.Email + ">"
		}
		p.Members = append(p.Members, views.Option{Value: u.ID, Label: label})
	}
	return p, nil
}

func (h *Handler) subscriptionUpdate(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	f, id := r.PostForm, r.PathValue("id")
	form := views.SubscriptionEditForm{ID: id, Seats: f.Get("total_seats"), Price: f.Get("price_per_seat"), Currency: f.Get("currency"),
		Cycle: f.Get("billing_cycle"), Status: f.Get("status"), EndDate: f.Get("end_date")}
	seats, price := seatsNumber(form.Seats), app.Decimal(form.Price)
	patch := app.SubscriptionPatch{TotalSeats: &seats, PricePerSeat: &price, BillingCycle: &form.Cycle, Status: &form.Status, EndDate: &form.EndDate}
	if _, err := h.svc.UpdateSubscription(r.Context(), actor, id, patch); err != nil {
		e, ok := formFailure(err, app.KindConflict)
		if !ok {
			return err
		}
		form.Fields, form.Error = e.Fields, formError(e)
		if isHTMX(r) {
			return h.render(w, r, http.StatusUnprocessableEntity, views.SubscriptionEditFormView(form))
		}
		vm, err := h.subscriptionDetailModel(r, acc, actor, id)
		if err != nil {
			return err
		}
		form.Currency = vm.Edit.Currency
		vm.Edit = form
		return h.render(w, r, http.StatusUnprocessableEntity, views.SubscriptionDetailView(vm))
	}
	h.sessions.Put(r.Context(), keyFlash, "The subscription was saved.")
	redirectAfterPost(w, r, "/admin/subscriptions/"+id)
	return nil
}

// subscriptionCancelConfirm asks before cancelling, naming the
// subscription: a page of its own, or a dialog for htmx.
func (h *Handler) subscriptionCancelConfirm(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	id := r.PathValue("id")
	vm, err := h.subscriptionDetailModel(r, acc, actor, id)
	if err != nil {
		return err
	}
	c := views.Confirm{Page: h.page(r, "Cancel subscription", views.SectionAdmin, "subscriptions"),
		Title: "Cancel " + vm.Sub.Product + " for " + vm.Sub.Org + "?", Button: "Cancel subscription",
		Message: "Members of " + vm.Sub.Org + " lose access to " + vm.Sub.Product + " at once. The subscription stays in the records as cancelled.",
		Action:  "/admin/subscriptions/" + id + "/cancel", Back: "/admin/subscriptions/" + id}
	return h.confirm(w, r, c)
}

func (h *Handler) subscriptionCancel(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	id := r.PathValue("id")
	if _, err := h.svc.CancelSubscription(r.Context(), actor, id); err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "The subscription was cancelled.")
	redirectAfterPost(w, r, "/admin/subscriptions/"+id)
	return nil
}
