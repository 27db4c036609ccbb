package oauth

import (
	"net/http"
	"net/url"

	"optare/app"
	"optare/app/browser"
	"optare/app/middleware"
	"optare/app/oidc"
	"optare/views"
)

// deviceAuthorization is the device authorization endpoint (RFC 8628
// §3.1, §3.2).
func (h *Handler) deviceAuthorization(w http.ResponseWriter, r *http.Request) error {
	req, e := oidc.ParseDeviceAuthorizationRequest(r)
	if e != nil {
		return e
	}
	res, err := h.svc.DeviceAuthorization(r.Context(), req, middleware.ClientIP(r))
	if err != nil {
		return err
	}
	writeNoStore(w, res)
	return nil
}

// deviceSession is the signed-in browser session as the domain wants it,
// or a redirect to sign in first (coming back to the same /device URL).
func (h *Handler) deviceSession(w http.ResponseWriter, r *http.Request, userCode string) (*app.AuthSession, *views.NavUser, bool) {
	sess, ok := h.sessions.Current(r)
	if !ok {
		next := oidc.PathDevice
		if userCode != "" {
			next += "?user_code=" + url.QueryEscape(userCode)
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
		return nil, nil, false
	}
	u := sess.Account.User
	return &app.AuthSession{UserID: u.ID, SessionVersion: u.SessionVersion, AuthTime: sess.AuthTime, ID: sess.ID, Email: u.Email},
		browser.NavUser(sess.Account), true
}

// deviceForm is GET /device: the code form, pre-filled from
// verification_uri_complete.
func (h *Handler) deviceForm(w http.ResponseWriter, r *http.Request) error {
	code := r.URL.Query().Get("user_code")
	if len(code) > 32 {
		code = ""
	}
	_, user, ok := h.deviceSession(w, r, code)
	if !ok {
		return nil
	}
	h.render(w, r, http.StatusOK, views.DevicePage(views.DeviceForm{User: user, UserCode: code}))
	return nil
}

// deviceSubmit is POST /device: a code (then the consent screen, always)
// or the consent screen's decision.
func (h *Handler) deviceSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, oidc.MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		return &app.Error{Kind: app.KindInvalid, Message: "The form could not be read."}
	}
	code, decision := r.PostForm.Get("user_code"), r.PostForm.Get("decision")
	sess, user, ok := h.deviceSession(w, r, code)
	if !ok {
		return nil
	}
	ip := middleware.ClientIP(r)
	if decision == "" {
		p, err := h.svc.DeviceRequest(r.Context(), sess, code, ip)
		if err != nil {
			return h.deviceFormError(w, r, user, code, err)
		}
		v := consentView(p.Consent, user, url.Values{"user_code": {p.UserCode}})
		v.Action, v.UserCode = oidc.PathDevice, p.UserCode
		h.render(w, r, http.StatusOK, views.ConsentPage(v))
		return nil
	}
	name, err := h.svc.DeviceDecide(r.Context(), sess, code, decision, ip)
	if err != nil {
		return h.deviceFormError(w, r, user, code, err)
	}
	h.render(w, r, http.StatusOK, views.DeviceDonePage(views.DeviceDoneView{User: user, ClientName: name,
		Approved: decision == app.DecisionApprove}))
	return nil
}

// deviceFormError shows the code form again with what went wrong; only an
// internal failure becomes the error page.
func (h *Handler) deviceFormError(w http.ResponseWriter, r *http.Request, user *views.NavUser, code string, err error) error {
	e := app.AsError(err)
	if e.Kind == app.KindInternal {
		return err
	}
	h.render(w, r, pageStatus(e.Kind), views.DevicePage(views.DeviceForm{User: user, UserCode: code, Error: e.Message, Fields: e.Fields}))
	return nil
}
