package web

import (
	"net/http"
	"strings"

	"optare/app"
	"optare/app/browser"
	"optare/app/middleware"
	"optare/views"
)

const keyFlash = "flash"

// page builds the layout part of a signed-in page, taking the pending flash
// message out of the session.
func (h *Handler) page(r *http.Request, title, section, active string) views.Page {
	acc, _ := accountFrom(r.Context())
	return views.Page{Title: title, User: browser.NavUser(acc), Section: section, Active: active,
		Flash: h.sessions.PopString(r.Context(), keyFlash)}
}

func (h *Handler) accountPage(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	vm, err := h.accountModel(r, acc, actor)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, views.AccountView(vm))
}

func (h *Handler) accountModel(r *http.Request, acc app.Account, actor app.Actor) (views.AccountPage, error) {
	rows, err := h.sessionRows(r, acc, actor)
	if err != nil {
		return views.AccountPage{}, err
	}
	mfa, err := h.svc.MFAStatus(r.Context(), actor, acc.User.ID)
	if err != nil {
		return views.AccountPage{}, err
	}
	passkeys, err := h.passkeySection(r, acc, actor)
	if err != nil {
		return views.AccountPage{}, err
	}
	return views.AccountPage{
		EmailVerified: acc.User.EmailVerified, Mail: h.svc.MailEnabled(),
		Passkeys:     passkeys,
		SecondFactor: views.SecondFactorSection{TOTP: mfa.TOTP, RecoveryLeft: mfa.RecoveryLeft, OrgRequires: mfa.OrgRequires},
		Page:         h.page(r, "Account", views.SectionPortal, "account"),
		Email:        acc.User.Email, OrgName: acc.Org.Name, Role: acc.Role,
		Profile: views.ProfileForm{Name: acc.User.Name}, Sessions: rows,
	}, nil
}

func (h *Handler) sessionRows(r *http.Request, acc app.Account, actor app.Actor) ([]views.SessionRow, error) {
	list, err := h.svc.ListSessions(r.Context(), actor, acc.User.ID)
	if err != nil {
		return nil, err
	}
	current := h.sessions.ID(r)
	rows := make([]views.SessionRow, 0, len(list))
	for _, s := range list {
		rows = append(rows, views.SessionRow{ID: s.ID, Created: s.CreatedAt.UTC().Format(timeLayout),
			LastSeen: s.LastSeenAt.UTC().Format(timeLayout), IP: s.IP, Device: deviceName(s.UserAgent), Current: s.ID == current})
	}
	return rows, nil
}

func (h *Handler) profileSubmit(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	name := r.PostForm.Get("name")
	if _, err := h.svc.RenameSelf(r.Context(), actor, name); err != nil {
		e, ok := formFailure(err)
		if !ok {
			return err
		}
		form := views.ProfileForm{Name: name, Fields: e.Fields}
		if isHTMX(r) {
			return h.render(w, r, http.StatusUnprocessableEntity, views.ProfileFormView(form))
		}
		vm, err := h.accountModel(r, acc, actor)
		if err != nil {
			return err
		}
		vm.Profile = form
		return h.render(w, r, http.StatusUnprocessableEntity, views.AccountView(vm))
	}
	h.sessions.Put(r.Context(), keyFlash, "Your name was saved.")
	redirectAfterPost(w, r, "/portal/account")
	return nil
}

func (h *Handler) passwordSubmit(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	f := r.PostForm
	err := h.svc.ChangeOwnPassword(r.Context(), actor, f.Get("current_password"), f.Get("password"), f.Get("password_confirm"))
	if err != nil {
		e, ok := formFailure(err)
		if !ok {
			return err
		}
		form := views.PasswordForm{Fields: e.Fields}
		if isHTMX(r) {
			return h.render(w, r, http.StatusUnprocessableEntity, views.PasswordFormView(form))
		}
		vm, err := h.accountModel(r, acc, actor)
		if err != nil {
			return err
		}
		vm.Password = form
		return h.render(w, r, http.StatusUnprocessableEntity, views.AccountView(vm))
	}
	// Every session ended with the old password; this browser asked for the
	// change, so it gets a fresh session.
	fresh, err := h.svc.AccountByID(r.Context(), acc.User.ID)
	if err != nil {
		return err
	}
	if err := h.startSession(r, fresh, h.svc.Now(), h.sessions.AMR(r)); err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "Your password was changed. Your other sessions and apps were signed out.")
	redirectAfterPost(w, r, "/portal/account")
	return nil
}

// sessionEnd signs one of the user's sessions out, from the confirmation's
// plain form (views.ConfirmPage, ConfirmDialog): back to the account page
// with a flash.
func (h *Handler) sessionEnd(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := h.svc.EndSession(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "The session was signed out.")
	redirectAfterPost(w, r, "/portal/account")
	return nil
}

// sessionsEndOthers signs out every session but this browser's, likewise.
func (h *Handler) sessionsEndOthers(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	n, err := h.svc.EndOtherSessions(r.Context(), actor, h.sessions.ID(r))
	if err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, views.Count(n, "session was", "sessions were")+" signed out.")
	redirectAfterPost(w, r, "/portal/account")
	return nil
}

// deviceName turns a User-Agent into "Firefox on Linux" and the like; the
// full string is noise to most people.
func deviceName(ua string) string {
	browser, system := "Unknown browser", ""
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	for _, s := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, s.token) {
			system = s.name
			break
		}
	}
	if system == "" {
		return browser
	}
	return browser + " on " + system
}

func (h *Handler) verifyEmailSend(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := h.svc.SendEmailVerification(r.Context(), actor); err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "We sent a link to "+acc.User.Email+". Open it to verify your address.")
	redirectAfterPost(w, r, "/portal/account")
	return nil
}

// verifyEmailForm shows the button that uses a verification link.
func (h *Handler) verifyEmailForm(w http.ResponseWriter, r *http.Request) error {
	return h.render(w, r, http.StatusOK, views.VerifyEmailPage(r.URL.Query().Get("token")))
}

// verifyEmail uses a verification link, signed in or not.
func (h *Handler) verifyEmail(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	u, err := h.svc.VerifyEmail(r.Context(), middleware.ClientIP(r), r.PostForm.Get("token"))
	if err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "Thank you: "+u.Email+" is verified.")
	redirectAfterPost(w, r, "/portal/account")
	return nil
}
