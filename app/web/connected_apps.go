package web

import (
	"net/http"

	"optare/app"
	"optare/views"
)

// connectedApps lists the OAuth clients the user has allowed (SPEC §5:
// remembered consent is shown under Connected Apps).
func (h *Handler) connectedApps(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	rows, err := h.connectedAppRows(r, acc, actor)
	if err != nil {
		return err
	}
	v := views.ConnectedAppsView{Page: h.page(r, "Connected apps", views.SectionPortal, "oauth-clients"), Apps: rows}
	return h.render(w, r, http.StatusOK, views.ConnectedAppsPage(v))
}

func (h *Handler) connectedAppRows(r *http.Request, acc app.Account, actor app.Actor) ([]views.ConnectedAppRow, error) {
	apps, err := h.svc.ConnectedApps(r.Context(), actor)
	if err != nil {
		return nil, err
	}
	rows := make([]views.ConnectedAppRow, 0, len(apps))
	for _, a := range apps {
		row := views.ConnectedAppRow{ClientID: a.ClientID, Name: a.ClientName,
			Scopes: a.Permissions, Granted: a.GrantedAt.UTC().Format(dateLayout)}
		if a.LastUsedAt != nil {
			row.LastUsed = a.LastUsedAt.UTC().Format(timeLayout)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// connectedAppDisconnect withdraws consent and revokes the app's tokens at
// once, from the confirmation's plain form: back to the list with a flash.
func (h *Handler) connectedAppDisconnect(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := h.svc.DisconnectApp(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "The app's access was revoked. It was signed out and must ask you again to connect.")
	redirectAfterPost(w, r, "/portal/oauth-clients")
	return nil
}

// connectNewApp lists the operator's apps that can be started from here
// (those with an initiate login URI).
func (h *Handler) connectNewApp(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	apps, err := h.svc.ConnectableApps(r.Context(), actor)
	if err != nil {
		return err
	}
	v := views.ConnectNewAppView{Page: h.page(r, "Connect New App", views.SectionPortal, "oauth-clients")}
	for _, a := range apps {
		v.Apps = append(v.Apps, views.ConnectableAppRow{ClientID: a.ClientID, Name: a.Name, Description: a.Description,
			Scopes: a.Permissions, StartURL: a.StartURL})
	}
	return h.render(w, r, http.StatusOK, views.ConnectNewAppPage(v))
}
