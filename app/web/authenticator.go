package web

import (
	"encoding/base64"
	"net/http"

	"optare/app"
	"optare/views"
)

// mfaSetupPath reports whether path belongs to authenticator-app set-up,
// the only pages a user who must set up a second factor may open.
func mfaSetupPath(path string) bool {
	return path == "/portal/account/authenticator" || path == "/portal/account/passkeys/begin" ||
		path == "/portal/account/passkeys/finish"
}

func (h *Handler) totpSetupModel(r *http.Request, acc app.Account, actor app.Actor, next string) (views.TOTPSetupPage, error) {
	setup, err := h.svc.BeginTOTPSetup(r.Context(), actor)
	if err != nil {
		return views.TOTPSetupPage{}, err
	}
	return views.TOTPSetupPage{
		Page:      h.page(r, "Set up an authenticator app", views.SectionPortal, "account"),
		QRDataURL: "data:image/png;base64," + base64.StdEncoding.EncodeToString(setup.QRPNG),
		Secret:    setup.Secret, Required: acc.NeedsMFASetup(), Next: localNext(next), Passkeys: h.svc.PasskeysEnabled(),
	}, nil
}

func (h *Handler) totpSetupForm(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	vm, err := h.totpSetupModel(r, acc, actor, r.URL.Query().Get("next"))
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, views.TOTPSetupView(vm))
}

func (h *Handler) totpSetupSubmit(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	next := localNext(r.PostForm.Get("next"))
	codes, err := h.svc.ConfirmTOTP(r.Context(), actor, r.PostForm.Get("code"))
	if err != nil {
		e, ok := formFailure(err)
		if !ok {
			return err
		}
		vm, err := h.totpSetupModel(r, acc, actor, next)
		if err != nil {
			return err
		}
		vm.Fields = e.Fields
		return h.render(w, r, http.StatusUnprocessableEntity, views.TOTPSetupView(vm))
	}
	// The code just confirmed proves the app: this browser's sign-in now
	// counts as one with two factors.
	h.sessions.SetAMR(r, []string{app.AMRPassword, app.AMROTP, app.AMRMFA})
	return h.render(w, r, http.StatusOK, views.RecoveryCodesView(views.RecoveryCodesPage{
		Page: h.page(r, "Recovery codes", views.SectionPortal, "account"), Codes: codes, Next: firstNonEmpty(next, "/portal/account")}))
}

func (h *Handler) totpRemove(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := h.svc.RemoveTOTP(r.Context(), actor); err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "The authenticator app was removed.")
	redirectAfterPost(w, r, "/portal/account")
	return nil
}

func (h *Handler) recoveryCodesRegenerate(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	codes, err := h.svc.RegenerateRecoveryCodes(r.Context(), actor)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, views.RecoveryCodesView(views.RecoveryCodesPage{
		Page: h.page(r, "Recovery codes", views.SectionPortal, "account"), Codes: codes, Next: "/portal/account"}))
}
