package web

import (
	"net/http"
	"strconv"

	"optare/app"
	"optare/app/browser"
	"optare/app/middleware"
	"optare/views"
)

func (h *Handler) root(w http.ResponseWriter, r *http.Request) error {
	if s, ok := h.sessions.Current(r); ok {
		http.Redirect(w, r, home(s.Account), http.StatusSeeOther)
		return nil
	}
	needed, err := h.svc.SetupNeeded(r.Context())
	if err != nil {
		return err
	}
	if needed {
		h.render(w, r, http.StatusOK, views.ErrorPage(views.ErrorView{Status: http.StatusServiceUnavailable,
			Title: "Optare is not set up yet", Message: "Open the one-time setup link that optare serve printed, or run optare setup."}))
		return nil
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := localNext(r.URL.Query().Get("next"))
	if s, ok := h.sessions.Current(r); ok && r.URL.Query().Get("prompt") != "login" {
		http.Redirect(w, r, firstNonEmpty(next, home(s.Account)), http.StatusSeeOther)
		return nil
	}
	h.render(w, r, http.StatusOK, views.LoginPage(views.LoginForm{Next: next, Passkeys: h.svc.PasskeysEnabled(), Mail: h.svc.MailEnabled()}))
	return nil
}

func (h *Handler) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return &app.Error{Kind: app.KindInvalid, Message: "The form could not be read.", Err: err}
	}
	form := views.LoginForm{Email: r.PostForm.Get("email"), Next: localNext(r.PostForm.Get("next")), Passkeys: h.svc.PasskeysEnabled(), Mail: h.svc.MailEnabled()}
	acc, err := h.svc.Login(r.Context(), middleware.ClientIP(r), form.Email, r.PostForm.Get("password"))
	if err != nil {
		e := app.AsError(err)
		if e.Kind == app.KindInternal {
			return err
		}
		form.Error, form.Fields = e.Message, e.Fields
		if e.Kind == app.KindInvalid {
			form.Error = ""
		}
		h.render(w, r, signInRefusal(w, e), views.LoginPage(form))
		return nil
	}
	return h.signIn(w, r, acc, firstNonEmpty(form.Next, home(acc)))
}

// signInRefusal is the status of a refused sign-in step (401 for wrong
// credentials, as for the password), and sets Retry-After when throttled.
func signInRefusal(w http.ResponseWriter, e *app.Error) int {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
	}
	if e.Kind == app.KindUnauthenticated {
		return http.StatusUnauthorized
	}
	return browser.Status(e.Kind)
}

// logoutForm asks before signing out: a GET must not change state, or any
// page could sign users out with an <img> tag.
func (h *Handler) logoutForm(w http.ResponseWriter, r *http.Request) error {
	page := views.Page{}
	if s, ok := h.sessions.Current(r); ok {
		page.User = browser.NavUser(s.Account)
	} else {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	h.render(w, r, http.StatusOK, views.LogoutPage(page))
	return nil
}

func (h *Handler) logoutSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := h.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	redirectAfterPost(w, r, "/login")
	return nil
}

func (h *Handler) setupForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	form := views.SetupForm{Token: token}
	if err := h.svc.CheckSetupToken(r.Context(), token); err != nil {
		e := app.AsError(err)
		if e.Code == "setup_done" {
			form.Done = true
			h.render(w, r, http.StatusOK, views.SetupPage(form))
			return nil
		}
		return err
	}
	h.render(w, r, http.StatusOK, views.SetupPage(form))
	return nil
}

func (h *Handler) setupSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return &app.Error{Kind: app.KindInvalid, Message: "The form could not be read.", Err: err}
	}
	f := r.PostForm
	in := app.SetupInput{Token: f.Get("token"), OrgName: f.Get("org_name"), Name: f.Get("name"), Email: f.Get("email"),
		Password: f.Get("password"), PasswordConfirm: f.Get("password_confirm")}
	acc, err := h.svc.Setup(r.Context(), app.Anonymous(middleware.ClientIP(r)), in)
	if err != nil {
		e := app.AsError(err)
		form := views.SetupForm{Token: in.Token, OrgName: in.OrgName, Name: in.Name, Email: in.Email}
		switch {
		case e.Code == "setup_done":
			form.Done = true
			h.render(w, r, http.StatusConflict, views.SetupPage(form))
			return nil
		case e.Kind == app.KindInvalid:
			form.Fields = e.Fields
			h.render(w, r, http.StatusUnprocessableEntity, views.SetupPage(form))
			return nil
		}
		return err
	}
	return h.signIn(w, r, acc, home(acc))
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (h *Handler) forgotPasswordForm(w http.ResponseWriter, r *http.Request) error {
	if !h.svc.MailEnabled() {
		return &errNotFound
	}
	h.render(w, r, http.StatusOK, views.ForgotPasswordPage(views.ForgotPasswordForm{}))
	return nil
}

func (h *Handler) forgotPasswordSubmit(w http.ResponseWriter, r *http.Request) error {
	if !h.svc.MailEnabled() {
		return &errNotFound
	}
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	form := views.ForgotPasswordForm{Email: r.PostForm.Get("email")}
	if err := h.svc.RequestPasswordReset(r.Context(), middleware.ClientIP(r), form.Email); err != nil {
		e := app.AsError(err)
		if e.Kind != app.KindInvalid && e.Kind != app.KindRateLimited {
			return err
		}
		form.Fields = e.Fields
		if e.Kind == app.KindRateLimited {
			form.Error = "Too many requests from your address. Try again later."
			w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
		}
		h.render(w, r, browser.Status(e.Kind), views.ForgotPasswordPage(form))
		return nil
	}
	h.render(w, r, http.StatusOK, views.ForgotPasswordPage(views.ForgotPasswordForm{Sent: true}))
	return nil
}
