package web

import (
	"net/http"

	"optare/app"
	"optare/app/middleware"
	"optare/views"
)

// connectedApps lists the OAuth clients the user has allowed (SPEC §5:
// remembered consent is shown under Connected Apps).
func (h *Handler) connectedApps(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	apps, err := h.svc.ConnectedApps(r.Context(), acc.Actor(middleware.ClientIP(r)))
	if err != nil {
		return err
	}
	v := views.ConnectedAppsView{Page: views.Page{Title: "Connected apps", User: navUser(acc), Section: views.SectionPortal, Active: "oauth-clients"}}
	for _, a := range apps {
		v.Apps = append(v.Apps, views.ConnectedAppRow{ClientID: a.ClientID, Name: a.ClientName,
			Scopes: app.ScopeWords(a.Scopes), Granted: a.GrantedAt.UTC().Format(timeLayout)})
	}
	h.render(w, r, http.StatusOK, views.ConnectedAppsPage(v))
	return nil
}

// connectedAppDisconnect withdraws consent and revokes the app's tokens.
func (h *Handler) connectedAppDisconnect(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	if err := h.svc.DisconnectApp(r.Context(), acc.Actor(middleware.ClientIP(r)), r.PathValue("id")); err != nil {
		return err
	}
	redirectAfterPost(w, r, "/portal/oauth-clients")
	return nil
}
