package web

import (
	"net/http"

	"optare/app"
	"optare/views"
)

// confirm answers a danger button with the confirmation that names the
// object: a page of its own for a plain browser, a dialog for htmx.
func (h *Handler) confirm(w http.ResponseWriter, r *http.Request, c views.Confirm) error {
	if isHTMX(r) {
		return h.render(w, r, http.StatusOK, views.ConfirmDialog(c))
	}
	return h.render(w, r, http.StatusOK, views.ConfirmPage(c))
}

// apiKeyRevokeConfirm asks before revoking an API key.
func (h *Handler) apiKeyRevokeConfirm(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	k, err := h.svc.APIKeyByID(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.confirm(w, r, views.Confirm{Page: h.page(r, "Revoke API key", views.SectionAdmin, "api-keys"),
		Title: "Revoke the API key " + k.Name + "?", Message: "Anything using it stops working at once. A revoked key cannot be restored.",
		Action: "/admin/settings/api-keys/" + k.ID + "/revoke", Button: "Revoke", Back: "/admin/settings/api-keys"})
}

// clientDisableConfirm asks before disabling an OAuth client.
func (h *Handler) clientDisableConfirm(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	c, err := h.svc.ClientByID(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.confirm(w, r, views.Confirm{Page: h.page(r, "Disable client", views.SectionAdmin, "clients"),
		Title: "Disable " + c.Name + "?", Message: "It can no longer sign users in, and its tokens stop working at once. You can enable it again.",
		Action: "/admin/clients/" + c.ID + "/disable", Button: "Disable", Back: "/admin/clients"})
}
