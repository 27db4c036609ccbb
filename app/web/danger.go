package web

import (
	"net/http"
	"strconv"

	"optare/app"
	"optare/views"
)

// asking builds a confirmation from the request: it names the object
// (looked up with the actor's rights, so a stranger's id is not found) and
// what happens to it.
type asking func(r *http.Request, acc app.Account, actor app.Actor) (views.Confirm, error)

// asks is the GET door of every danger button: the shared confirmation,
// a page without JavaScript or a dialog for htmx. Asking changes nothing;
// the confirmation's form posts to the action's own route.
func (h *Handler) asks(build asking) accountFunc {
	return func(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
		c, err := build(r, acc, actor)
		if err != nil {
			return err
		}
		return h.confirm(w, r, c)
	}
}

// userDisableConfirm names the user an operator is about to disable.
func (h *Handler) userDisableConfirm(r *http.Request, acc app.Account, actor app.Actor) (views.Confirm, error) {
	u, err := h.svc.UserByID(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return views.Confirm{}, err
	}
	return views.Confirm{Page: h.page(r, "Disable user", views.SectionAdmin, "users"),
		Title: "Disable " + u.Name + "?", Message: u.Email + " is signed out everywhere at once and can no longer sign in. You can enable the account again.",
		Action: "/admin/users/" + u.ID + "/disable", Button: "Disable", Back: "/admin/users/" + u.ID}, nil
}

// productArchiveConfirm names the product an operator is about to archive.
func (h *Handler) productArchiveConfirm(r *http.Request, acc app.Account, actor app.Actor) (views.Confirm, error) {
	p, err := h.svc.ProductByRef(r.Context(), actor, r.PathValue("slug"))
	if err != nil {
		return views.Confirm{}, err
	}
	return views.Confirm{Page: h.page(r, "Archive product", views.SectionAdmin, "products"),
		Title: "Archive " + p.Name + "?", Message: "It leaves the catalogue and grants no access any more; its subscriptions stay readable.",
		Action: "/admin/products/" + p.Slug + "/archive", Button: "Archive", Back: "/admin/products"}, nil
}

// clientRotateConfirm names the client whose secret is about to change.
func (h *Handler) clientRotateConfirm(r *http.Request, acc app.Account, actor app.Actor) (views.Confirm, error) {
	c, err := h.svc.ClientByID(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return views.Confirm{}, err
	}
	return views.Confirm{Page: h.page(r, "Rotate client secret", views.SectionAdmin, "clients"),
		Title: "Rotate the secret of " + c.Name + "?", Message: "A new secret is shown once. The current secret stops working at once, so update the app straight away.",
		Action: "/admin/clients/" + c.ID + "/rotate-secret", Button: "Rotate secret", Back: "/admin/clients/" + c.ID}, nil
}

// webhookDisableConfirm names the endpoint an operator is about to disable.
func (h *Handler) webhookDisableConfirm(r *http.Request, acc app.Account, actor app.Actor) (views.Confirm, error) {
	e, err := h.svc.WebhookEndpointByID(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return views.Confirm{}, err
	}
	return views.Confirm{Page: h.page(r, "Disable webhook endpoint", views.SectionAdmin, "webhooks"),
		Title: "Disable " + e.URL + "?", Message: "Optare stops sending it events until you enable it again.",
		Action: "/admin/webhooks/" + e.ID + "/disable", Button: "Disable", Back: "/admin/webhooks/" + e.ID}, nil
}

// machineDeactivateConfirm names the machine about to lose its lease: one
// of the user's own (portal) or of a subscription's (admin).
func (h *Handler) machineDeactivateConfirm(admin bool) asking {
	return func(r *http.Request, acc app.Account, actor app.Actor) (views.Confirm, error) {
		back, q, section := "/portal/machines", app.ActivationQuery{UserID: acc.User.ID}, views.SectionPortal
		active := "machines"
		if admin {
			sub := r.PathValue("id")
			back, q, section, active = "/admin/subscriptions/"+sub, app.ActivationQuery{SubscriptionID: sub}, views.SectionAdmin, "subscriptions"
		}
		rows, err := h.machineRows(r, acc, actor, q)
		if err != nil {
			return views.Confirm{}, err
		}
		for _, m := range rows {
			if m.ID == r.PathValue("act") {
				base := "/portal/machines/"
				if admin {
					base = back + "/activations/"
				}
				return views.Confirm{Page: h.page(r, "Deactivate machine", section, active),
					Title: "Deactivate " + m.Name + "?", Message: "Its " + m.Product + " app loses its lease at once and must activate again.",
					Action: base + m.ID + "/deactivate", Button: "Deactivate", Back: back}, nil
			}
		}
		return views.Confirm{}, &errNotFound
	}
}

// memberRemoveConfirm names the member an owner is about to remove.
func (h *Handler) memberRemoveConfirm(r *http.Request, acc app.Account, actor app.Actor) (views.Confirm, error) {
	org, members, err := h.svc.ListMembers(r.Context(), actor, acc.Org.ID)
	if err != nil {
		return views.Confirm{}, err
	}
	for _, m := range members {
		if m.User.ID == r.PathValue("id") {
			return views.Confirm{Page: h.page(r, "Remove member", views.SectionPortal, "members"),
				Title: "Remove " + m.User.Name + " from " + org.Name + "?", Message: "Their seats are freed at once and they lose access to the organization's products.",
				Action: "/portal/members/" + m.User.ID + "/remove", Button: "Remove", Back: "/portal/members"}, nil
		}
	}
	return views.Confirm{}, &errNotFound
}

// sessionEndConfirm names the browser session about to be signed out.
func (h *Handler) sessionEndConfirm(r *http.Request, acc app.Account, actor app.Actor) (views.Confirm, error) {
	rows, err := h.sessionRows(r, acc, actor)
	if err != nil {
		return views.Confirm{}, err
	}
	for _, s := range rows {
		if s.ID == r.PathValue("id") && !s.Current {
			return views.Confirm{Page: h.page(r, "Sign out a session", views.SectionPortal, "account"),
				Title: "Sign out " + s.Device + " (" + s.IP + ")?", Message: "That browser, last seen " + s.LastSeen + ", is signed out at once.",
				Action: "/portal/account/sessions/" + s.ID + "/end", Button: "Sign out", Back: "/portal/account"}, nil
		}
	}
	return views.Confirm{}, &errNotFound
}

// connectedAppRevokeConfirm names the app whose access is about to go.
func (h *Handler) connectedAppRevokeConfirm(r *http.Request, acc app.Account, actor app.Actor) (views.Confirm, error) {
	rows, err := h.connectedAppRows(r, acc, actor)
	if err != nil {
		return views.Confirm{}, err
	}
	for _, a := range rows {
		if a.ClientID == r.PathValue("id") {
			return views.Confirm{Page: h.page(r, "Revoke app access", views.SectionPortal, "oauth-clients"),
				Title: "Revoke the access of " + a.Name + "?", Message: "It is signed out at once and must ask you again to connect.",
				Action: "/portal/oauth-clients/" + a.ClientID + "/disconnect", Button: "Revoke", Back: "/portal/oauth-clients"}, nil
		}
	}
	return views.Confirm{}, &errNotFound
}

// seatUnassignConfirm names the seat holder and the product whose seat is
// about to be taken back, from the admin or the portal subscription page.
func (h *Handler) seatUnassignConfirm(d seatDoor, section, active string) asking {
	return func(r *http.Request, acc app.Account, actor app.Actor) (views.Confirm, error) {
		id := r.PathValue("id")
		sub, err := h.svc.SubscriptionByID(r.Context(), actor, id)
		if err != nil {
			return views.Confirm{}, err
		}
		p, err := h.svc.ProductByRef(r.Context(), actor, sub.ProductID)
		if err != nil {
			return views.Confirm{}, err
		}
		panel, err := h.seatsPanel(r, actor, sub, d.base(id))
		if err != nil {
			return views.Confirm{}, err
		}
		for _, s := range panel.Seats {
			if s.UserID == r.PathValue("user") {
				name := s.Name
				if name == "" {
					name = s.Email
				}
				return views.Confirm{Page: h.page(r, "Unassign seat", section, active),
					Title: "Take the " + p.Name + " seat back from " + name + "?", Message: s.Email + " loses access to " + p.Name + " at once; the seat is free again.",
					Action: d.base(id) + "/seats/" + s.UserID + "/unassign", Button: "Unassign", Back: d.base(id)}, nil
			}
		}
		return views.Confirm{}, &errNotFound
	}
}

// sessionsEndOthersConfirm counts the sessions about to be signed out.
// With none left there is nothing to ask: back to the account page.
func (h *Handler) sessionsEndOthersConfirm(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	rows, err := h.sessionRows(r, acc, actor)
	if err != nil {
		return err
	}
	n := 0
	for _, s := range rows {
		if !s.Current {
			n++
		}
	}
	if n == 0 {
		http.Redirect(w, r, "/portal/account", http.StatusSeeOther)
		return nil
	}
	return h.confirm(w, r, views.Confirm{Page: h.page(r, "Sign out other sessions", views.SectionPortal, "account"),
		Title: "Sign out every other session (" + strconv.Itoa(n) + ")?", Message: "Every browser but this one is signed out at once.",
		Action: "/portal/account/sessions/end-others", Button: "Sign out all other sessions", Back: "/portal/account"})
}

// passkeyRemoveConfirm names the user's own passkey about to be removed.
func (h *Handler) passkeyRemoveConfirm(r *http.Request, acc app.Account, actor app.Actor) (views.Confirm, error) {
	keys, err := h.svc.ListPasskeys(r.Context(), actor)
	if err != nil {
		return views.Confirm{}, err
	}
	for _, k := range keys {
		if k.ID == r.PathValue("id") {
			return views.Confirm{Page: h.page(r, "Remove passkey", views.SectionPortal, "account"),
				Title: "Remove the passkey " + k.Name + "?", Message: "You can no longer sign in with it. The copy on your device stays until you delete it there.",
				Action: "/portal/account/passkeys/" + k.ID + "/remove", Button: "Remove", Back: "/portal/account"}, nil
		}
	}
	return views.Confirm{}, &errNotFound
}
