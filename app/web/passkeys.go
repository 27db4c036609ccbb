package web

import (
	"encoding/json"
	"io"
	"net/http"

	"optare/app"
	"optare/app/browser"
	"optare/app/middleware"
	"optare/views"
)

// Session keys of passkey ceremonies in progress: the handle of the
// server-side challenge.
const (
	keyPasskeyLogin    = "passkey_login"
	keyPasskeyRegister = "passkey_register"
	maxPasskeyBody     = 64 << 10
)

// writeJSON answers the passkey script.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// jsonFail answers a failed passkey step in the shared JSON error shape.
func (h *Handler) jsonFail(w http.ResponseWriter, r *http.Request, err error) error {
	e := app.AsError(err)
	if e.Kind == app.KindInternal {
		return err
	}
	msg := e.Message
	if msg == "" {
		msg = "That did not work."
	}
	for _, m := range e.Fields {
		msg = m
	}
	writeJSON(w, browser.Status(e.Kind), map[string]string{"error": e.ErrorCode(), "error_description": msg})
	return nil
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPasskeyBody))
	if err != nil {
		return nil, errBadForm(err)
	}
	return b, nil
}

func (h *Handler) passkeyLoginBegin(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.BeginPasskeyLogin(r.Context())
	if err != nil {
		return h.jsonFail(w, r, err)
	}
	h.sessions.Put(r.Context(), keyPasskeyLogin, c.Handle)
	writeJSON(w, http.StatusOK, c.Options)
	return nil
}

func (h *Handler) passkeyLoginFinish(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return h.jsonFail(w, r, err)
	}
	handle := h.sessions.PopString(r.Context(), keyPasskeyLogin)
	acc, amr, err := h.svc.FinishPasskeyLogin(r.Context(), middleware.ClientIP(r), handle, body)
	if err != nil {
		return h.jsonFail(w, r, err)
	}
	next := localNext(r.URL.Query().Get("next"))
	if pending := localNext(h.sessions.GetString(r.Context(), keyPendingNext)); next == "" && pending != "" {
		next = pending // a passkey chosen at the second step
	}
	h.sessions.Remove(r.Context(), keyPendingNext)
	if err := h.startSession(r, acc, h.svc.Now(), amr); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"redirect": firstNonEmpty(next, home(acc))})
	return nil
}

func (h *Handler) passkeyRegisterBegin(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	c, err := h.svc.BeginPasskeyRegistration(r.Context(), acc.Actor(middleware.ClientIP(r)))
	if err != nil {
		return h.jsonFail(w, r, err)
	}
	h.sessions.Put(r.Context(), keyPasskeyRegister, c.Handle)
	writeJSON(w, http.StatusOK, c.Options)
	return nil
}

func (h *Handler) passkeyRegisterFinish(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	body, err := readBody(w, r)
	if err != nil {
		return h.jsonFail(w, r, err)
	}
	var in struct {
		Name       string          `json:"name"`
		Credential json.RawMessage `json:"credential"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return h.jsonFail(w, r, &app.Error{Kind: app.KindInvalid, Message: "The request could not be read.", Err: err})
	}
	handle := h.sessions.PopString(r.Context(), keyPasskeyRegister)
	wasRequired := acc.NeedsMFASetup()
	key, err := h.svc.FinishPasskeyRegistration(r.Context(), acc.Actor(middleware.ClientIP(r)), handle, in.Name, in.Credential)
	if err != nil {
		return h.jsonFail(w, r, err)
	}
	next := "/portal/account"
	if wasRequired {
		// Forced set-up done with a passkey; verified by the browser's
		// screen lock just now, so this sign-in counts as two factors.
		h.sessions.SetAMR(r, []string{app.AMRPassword, app.AMRHardware, app.AMRMFA})
		next = firstNonEmpty(localNext(r.URL.Query().Get("next")), home(acc))
	}
	h.sessions.Put(r.Context(), keyFlash, "Passkey \u201c"+key.Name+"\u201d added.")
	writeJSON(w, http.StatusOK, map[string]string{"redirect": next})
	return nil
}

func (h *Handler) passkeyRename(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	if err := h.svc.RenamePasskey(r.Context(), acc.Actor(middleware.ClientIP(r)), r.PathValue("id"), r.PostForm.Get("name")); err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "The passkey was renamed.")
	redirectAfterPost(w, r, "/portal/account")
	return nil
}

func (h *Handler) passkeyRemove(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	if err := h.svc.RemovePasskey(r.Context(), acc.Actor(middleware.ClientIP(r)), r.PathValue("id")); err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "The passkey was removed.")
	redirectAfterPost(w, r, "/portal/account")
	return nil
}

// passkeyRows is the account page's passkey list.
func (h *Handler) passkeySection(r *http.Request) (views.PasskeySection, error) {
	acc, _ := accountFrom(r.Context())
	sec := views.PasskeySection{Enabled: h.svc.PasskeysEnabled()}
	keys, err := h.svc.ListPasskeys(r.Context(), acc.Actor(middleware.ClientIP(r)))
	if err != nil {
		return sec, err
	}
	for _, k := range keys {
		row := views.PasskeyRow{ID: k.ID, Name: k.Name, Created: k.CreatedAt.UTC().Format(timeLayout), LastUsed: "never", Synced: k.Synced}
		if !k.LastUsedAt.IsZero() {
			row.LastUsed = k.LastUsedAt.UTC().Format(timeLayout)
		}
		sec.Rows = append(sec.Rows, row)
	}
	return sec, nil
}
