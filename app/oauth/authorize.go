package oauth

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"optare/app"
	"optare/app/middleware"
	"optare/app/oidc"
	"optare/views"
)

// authorize is the authorization endpoint (RFC 6749 §4.1.1) and its
// consent screen. The request comes as a GET query or a POST form; the
// consent form posts the same parameters back with decision=approve|deny.
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request) error {
	values := r.URL.Query()
	decision := ""
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, oidc.MaxFormBytes)
		if err := r.ParseForm(); err != nil {
			return oidc.InvalidRequest("the form could not be read")
		}
		values = r.PostForm
		if decision = values.Get("decision"); decision != app.DecisionApprove && decision != app.DecisionDeny {
			decision = ""
		}
		values.Del("decision")
	}
	req, perr := oidc.ParseAuthorizeRequest(values)
	if perr != nil && !perr.Redirectable {
		return perr
	}
	in := app.AuthorizeInput{Request: req, Decision: decision, IP: middleware.ClientIP(r)}
	if perr != nil {
		in.ParseError = perr
	}
	sess, signedIn := h.portal.CurrentSession(r)
	if signedIn && sess.Account.NeedsMFASetup() && perr == nil {
		// The organization requires a second factor this user has yet to
		// set up: that comes first, then back here.
		next := oidc.PathAuthorize + "?" + withoutLoginPrompt(values).Encode()
		http.Redirect(w, r, "/portal/account/authenticator?next="+url.QueryEscape(next), http.StatusSeeOther)
		return nil
	}
	if signedIn {
		u := sess.Account.User
		in.Session = &app.AuthSession{UserID: u.ID, SessionVersion: u.SessionVersion, AuthTime: sess.AuthTime, ID: sess.ID,
			Email: u.Email, AMR: sess.AMR}
	}
	res, err := h.svc.Authorize(r.Context(), in)
	if err != nil {
		return err
	}
	switch res.Step {
	case app.StepLogin:
		// Back here after signing in, without prompt=login, so the fresh
		// sign-in is not asked for again. With a session, /login must show
		// the form anyway (prompt=login), or it would send the user straight
		// back with the too-old sign-in.
		next := oidc.PathAuthorize + "?" + withoutLoginPrompt(values).Encode()
		to := "/login?next=" + url.QueryEscape(next)
		if signedIn {
			to += "&prompt=login"
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	case app.StepConsent:
		h.render(w, r, http.StatusOK, views.ConsentPage(consentView(res.Consent, navUser(sess.Account), values)))
	default:
		http.Redirect(w, r, res.RedirectURL, http.StatusSeeOther)
	}
	return nil
}

// withoutLoginPrompt copies the parameters with "login" taken out of prompt.
func withoutLoginPrompt(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	if p, ok := out["prompt"]; ok && len(p) == 1 {
		rest := slices.DeleteFunc(strings.Fields(p[0]), func(s string) bool { return s == oidc.PromptLogin })
		if len(rest) == 0 {
			out.Del("prompt")
		} else {
			out.Set("prompt", strings.Join(rest, " "))
		}
	}
	return out
}

func consentView(p app.ConsentPrompt, user *views.NavUser, values url.Values) views.ConsentView {
	v := views.ConsentView{User: user, ClientName: p.ClientName, ClientDescription: p.ClientDescription}
	for _, s := range p.Scopes {
		v.Scopes = append(v.Scopes, views.ConsentScope{Scope: s.Scope, Description: s.Description})
	}
	v.Params = hiddenParams(withoutLoginPrompt(values))
	return v
}

// hiddenParams lists parameters in key order, as hidden form fields.
func hiddenParams(values url.Values) []views.HiddenParam {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []views.HiddenParam
	for _, k := range keys {
		for _, v := range values[k] {
			out = append(out, views.HiddenParam{Name: k, Value: v})
		}
	}
	return out
}
