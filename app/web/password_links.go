package web

import (
	"net/http"

	"optare/app"
	"optare/app/middleware"
	"optare/views"
)

// The one-time link's token travels in the query string and the form, not
// the path, because request logs record paths but never query strings.

func (h *Handler) passwordLinkForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	u, purpose, err := h.svc.CheckPasswordLink(r.Context(), token)
	if err != nil {
		if app.AsError(err).Code != "invalid_link" {
			return err
		}
		return h.render(w, r, http.StatusNotFound, views.PasswordLinkPage(views.PasswordLinkForm{Invalid: true}))
	}
	return h.render(w, r, http.StatusOK, views.PasswordLinkPage(views.PasswordLinkForm{Token: token, Name: u.Name, Email: u.Email, Invite: purpose == "invite"}))
}

func (h *Handler) passwordLinkSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	token := r.PostForm.Get("token")
	acc, err := h.svc.UsePasswordLink(r.Context(), middleware.ClientIP(r), token, r.PostForm.Get("password"), r.PostForm.Get("password_confirm"))
	if err != nil {
		e := app.AsError(err)
		switch {
		case e.Code == "invalid_link":
			return h.render(w, r, http.StatusNotFound, views.PasswordLinkPage(views.PasswordLinkForm{Invalid: true}))
		case e.Kind == app.KindInvalid:
			u, purpose, err := h.svc.CheckPasswordLink(r.Context(), token)
			if err != nil {
				return err
			}
			return h.render(w, r, http.StatusUnprocessableEntity, views.PasswordLinkPage(views.PasswordLinkForm{Token: token, Name: u.Name,
				Email: u.Email, Invite: purpose == "invite", Fields: e.Fields}))
		}
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "Your password is set. Welcome!")
	return h.signIn(w, r, acc, home(acc))
}
