package web

import (
	"net/http"
	"time"

	"optare/app"
	"optare/app/middleware"
	"optare/views"
)

// pendingFor is how long the second step of a sign-in may take after the
// password was right.
const pendingFor = 5 * time.Minute

// signIn finishes a sign-in whose password was right: straight in, or, when
// the user has a second factor, on to the second step with the password's
// success held in the session (under a new token) until then.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request, acc app.Account, next string) error {
	ctx := r.Context()
	if !acc.HasSecondFactor {
		if err := h.startSession(r, acc, h.svc.Now(), []string{app.AMRPassword}); err != nil {
			return err
		}
		redirectAfterPost(w, r, next)
		return nil
	}
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Suspend(r) // no half-signed-in browser keeps an older sign-in
	h.sessions.Put(ctx, keyPendingUser, acc.User.ID)
	h.sessions.Put(ctx, keyPendingAt, h.svc.Now().Unix())
	h.sessions.Put(ctx, keyPendingNext, next)
	redirectAfterPost(w, r, "/login/second-factor")
	return nil
}

// pendingUser is the user whose second step is awaited, if any and recent.
func (h *Handler) pendingUser(r *http.Request) (string, bool) {
	ctx := r.Context()
	id := h.sessions.GetString(ctx, keyPendingUser)
	at := time.Unix(h.sessions.GetInt64(ctx, keyPendingAt), 0)
	if id == "" || h.svc.Now().Sub(at) > pendingFor {
		return "", false
	}
	return id, true
}

func (h *Handler) secondFactorForm(w http.ResponseWriter, r *http.Request) error {
	userID, ok := h.pendingUser(r)
	if !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	form, err := h.secondFactorModel(r, userID, r.URL.Query().Get("method") == app.FactorRecovery)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, views.SecondFactorPage(form))
	return nil
}

// secondFactorModel offers the factors the user has.
func (h *Handler) secondFactorModel(r *http.Request, userID string, recovery bool) (views.SecondFactorForm, error) {
	st, err := h.svc.SignInFactors(r.Context(), userID)
	if err != nil {
		return views.SecondFactorForm{}, err
	}
	return views.SecondFactorForm{Recovery: recovery || (!st.TOTP && st.Passkeys == 0), TOTP: st.TOTP,
		Passkey: st.Passkeys > 0 && h.svc.PasskeysEnabled()}, nil
}

func (h *Handler) secondFactorSubmit(w http.ResponseWriter, r *http.Request) error {
	userID, ok := h.pendingUser(r)
	if !ok {
		h.sessions.Put(r.Context(), keyFlash, "The sign-in took too long. Please sign in again.")
		redirectAfterPost(w, r, "/login")
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	method := r.PostForm.Get("method")
	acc, amr, err := h.svc.VerifySecondFactor(r.Context(), middleware.ClientIP(r), userID, method, r.PostForm.Get("code"))
	if err != nil {
		e := app.AsError(err)
		if e.Kind == app.KindInternal || e.Kind == app.KindUnavailable {
			return err
		}
		form, ferr := h.secondFactorModel(r, userID, method == app.FactorRecovery)
		if ferr != nil {
			return ferr
		}
		form.Error, form.Fields = e.Message, e.Fields
		if e.Kind == app.KindInvalid {
			form.Error = ""
		}
		h.render(w, r, signInRefusal(w, e), views.SecondFactorPage(form))
		return nil
	}
	next := localNext(h.sessions.GetString(r.Context(), keyPendingNext))
	h.sessions.Remove(r.Context(), keyPendingNext)
	if err := h.startSession(r, acc, h.svc.Now(), amr); err != nil {
		return err
	}
	redirectAfterPost(w, r, firstNonEmpty(next, home(acc)))
	return nil
}
