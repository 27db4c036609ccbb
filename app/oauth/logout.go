package oauth

import (
	"net/http"
	"net/url"

	"optare/app"
	"optare/app/browser"
	"optare/app/oidc"
	"optare/views"
)

// logoutParams are the parameters of RP-initiated logout.
var logoutParams = []string{"id_token_hint", "client_id", "post_logout_redirect_uri", "state"}

// readLogout reads a logout request from the query or the form.
func readLogout(values url.Values) (app.LogoutRequest, *oidc.Error) {
	var got [4]string
	for i, name := range logoutParams {
		v, e := oidc.Single(values, name)
		if e != nil {
			return app.LogoutRequest{}, e
		}
		got[i] = v
	}
	return app.LogoutRequest{IDTokenHint: got[0], ClientID: got[1], PostLogoutRedirectURI: got[2], State: got[3]}, nil
}

// logoutForm is the end_session_endpoint (OpenID Connect RP-Initiated
// Logout §2). It checks the request first, so an unregistered
// post_logout_redirect_uri is an error page; then it asks a signed-in user
// to confirm, and sends anyone else straight on.
func (h *Handler) logoutForm(w http.ResponseWriter, r *http.Request) error {
	req, e := readLogout(r.URL.Query())
	if e != nil {
		return e
	}
	target, err := h.svc.LogoutTarget(r.Context(), req)
	if err != nil {
		return err
	}
	sess, ok := h.sessions.Current(r)
	if !ok {
		http.Redirect(w, r, orLogin(target), http.StatusSeeOther)
		return nil
	}
	v := views.LogoutConfirmView{User: browser.NavUser(sess.Account)}
	v.Params = hiddenParams(r.URL.Query())
	h.render(w, r, http.StatusOK, views.LogoutConfirmPage(v))
	return nil
}

// logoutSubmit signs the browser out and sends it to the registered
// post_logout_redirect_uri, or to the sign-in page.
func (h *Handler) logoutSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, oidc.MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		return oidc.InvalidRequest("the form could not be read")
	}
	req, e := readLogout(r.PostForm)
	if e != nil {
		return e
	}
	target, err := h.svc.LogoutTarget(r.Context(), req)
	if err != nil {
		return err
	}
	if err := h.sessions.End(r); err != nil {
		return err
	}
	http.Redirect(w, r, orLogin(target), http.StatusSeeOther)
	return nil
}

func orLogin(target string) string {
	if target == "" {
		return "/login"
	}
	return target
}
