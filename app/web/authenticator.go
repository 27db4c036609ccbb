package web

import (
	"encoding/base64"
	"net/http"

	"optare/app"
	"optare/app/middleware"
	"optare/views"
)

// mfaSetupPath reports whether path belongs to authenticator-app set-up,
// the only pages a user who must set up a second factor may open.
func mfaSetupPath(path string) bool {
	return path == "/portal/account/authenticator" || path == "/portal/account/passkeys/begin" ||
		path == "/portal/account/passkeys/finish"
}

func (h *Handler) totpSetupModel(r *http.Request, next string) (views.TOTPSetupPage, error) {
	acc, _ := accountFrom(r.Context())
	setup, err := h.svc.BeginTOTPSetup(r.Context(), acc.Actor(middleware.ClientIP(r)))
	if err != nil {
		return views.TOTPSetupPage{}, err
	}
	return views.TOTPSetupPage{
		Page:      h.page(r, "Set up an authenticator app", views.SectionPortal, "account"),
		QRDataURL: "data:image/png;base64," + base64.StdEncoding.EncodeToString(setup.QRPNG),
		Secret:    setup.Secret, Required: acc.NeedsMFASetup(), Next: localNext(next), Passkeys: h.svc.PasskeysEnabled(),
	}, nil
}

func (h *Handler) totpSetupForm(w http.ResponseWriter, r *http.Request) error {
	vm, err := h.totpSetupModel(r, r.URL.Query().Get("next"))
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, views.TOTPSetupView(vm))
	return nil
}

func (h *Handler) totpSetupSubmit(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	next := localNext(r.PostForm.Get("next"))
	codes, err := h.svc.ConfirmTOTP(r.Context(), acc.Actor(middleware.ClientIP(r)), r.PostForm.Get("code"))
	if err != nil {
		e := app.AsError(err)
		if e.Kind != app.KindInvalid {
			return err
		}
		vm, err := h.totpSetupModel(r, next)
		if err != nil {
			return err
		}
		vm.Fields = e.Fields
		h.render(w, r, http.StatusUnprocessableEntity, views.TOTPSetupView(vm))
		return nil
	}
	// The code just confirmed proves the app: this browser's sign-in now
	// counts as one with two factors.
	h.sessions.SetAMR(r, []string{app.AMRPassword, app.AMROTP, app.AMRMFA})
	h.render(w, r, http.StatusOK, views.RecoveryCodesView(views.RecoveryCodesPage{
		Page: h.page(r, "Recovery codes", views.SectionPortal, "account"), Codes: codes, Next: firstNonEmpty(next, "/portal/account")}))
	return nil
}

func (h *Handler) totpRemove(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	if err := h.svc.RemoveTOTP(r.Context(), acc.Actor(middleware.ClientIP(r))); err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "The authenticator app was removed.")
	redirectAfterPost(w, r, "/portal/account")
	return nil
}

func (h *Handler) recoveryCodesRegenerate(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	codes, err := h.svc.RegenerateRecoveryCodes(r.Context(), acc.Actor(middleware.ClientIP(r)))
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, views.RecoveryCodesView(views.RecoveryCodesPage{
		Page: h.page(r, "Recovery codes", views.SectionPortal, "account"), Codes: codes, Next: "/portal/account"}))
	return nil
}
