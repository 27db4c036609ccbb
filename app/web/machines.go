package web

import (
	"net/http"

	"optare/app"
	"optare/views"
)

// machines is the portal's Machines page: the signed-in user's machine
// activations with their last heartbeat.
func (h *Handler) machines(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	rows, err := h.machineRows(r, acc, actor, app.ActivationQuery{UserID: acc.User.ID})
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, views.MachinesPage(views.MachinesView{Page: h.page(r, "Machines", views.SectionPortal, "machines"), Machines: rows}))
}

// machineRows lists activations as rows, naming each product once.
func (h *Handler) machineRows(r *http.Request, acc app.Account, actor app.Actor, q app.ActivationQuery) ([]views.MachineRow, error) {
	q.Limit = app.MaxLimit
	page, err := h.svc.ListActivations(r.Context(), actor, q)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	rows := make([]views.MachineRow, 0, len(page.Activations))
	for _, a := range page.Activations {
		if _, ok := names[a.ProductID]; !ok {
			names[a.ProductID] = a.ProductID
			if p, err := h.svc.ProductByRef(r.Context(), actor, a.ProductID); err == nil {
				names[a.ProductID] = p.Name
			}
		}
		rows = append(rows, views.MachineRow{ID: a.ID, Name: a.Name, User: a.Email, Product: names[a.ProductID],
			LastHeartbeat: a.LastHeartbeatAt.UTC().Format(timeLayout), LeaseUntil: a.LeaseExpiresAt.UTC().Format(timeLayout), Live: a.Live})
	}
	return rows, nil
}

// machineDeactivate releases one of the user's machines (portal) or one
// of a subscription's (admin), from the confirmation's plain form: back to
// the page with a flash.
func (h *Handler) machineDeactivate(admin bool) accountFunc {
	return func(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
		if err := h.svc.Deactivate(r.Context(), actor, r.PathValue("act")); err != nil {
			return err
		}
		back := "/portal/machines"
		if admin {
			back = "/admin/subscriptions/" + r.PathValue("id")
		}
		h.sessions.Put(r.Context(), keyFlash, "The machine was deactivated: its lease is free.")
		redirectAfterPost(w, r, back)
		return nil
	}
}
