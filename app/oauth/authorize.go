package oauth

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"optare/app"
	"optare/app/browser"
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
	// A pushed request (RFC 9126) travels as client_id and request_uri
	// through sign-in and consent; its parameters come from the store.
	// roundTrip is what the login redirect and the consent form carry.
	roundTrip, requestURI := values, values.Get("request_uri")
	if requestURI != "" {
		pushed, err := h.svc.PushedRequest(r.Context(), values.Get("client_id"), requestURI)
		if err != nil {
			return err
		}
		roundTrip = url.Values{"client_id": {values.Get("client_id")}, "request_uri": {requestURI},
			"prompt": {pushed.Get("prompt")}}
		if p, ok := values["prompt"]; ok && len(p) == 1 && narrowerPrompt(p[0], pushed.Get("prompt")) {
			// After signing in the prompt carries login no longer.
			pushed.Set("prompt", p[0])
			roundTrip.Set("prompt", p[0])
		}
		values = pushed
	}
	req, perr := oidc.ParseAuthorizeRequest(values)
	if perr != nil && !perr.Redirectable {
		return perr
	}
	in := app.AuthorizeInput{Request: req, Decision: decision, IP: middleware.ClientIP(r), RequestURI: requestURI}
	if perr != nil {
		in.ParseError = perr
	}
	sess, signedIn := h.sessions.Current(r)
	if signedIn && sess.Account.NeedsMFASetup() && perr == nil {
		// The organization requires a second factor this user has yet to
		// set up: that comes first, then back here.
		next := oidc.PathAuthorize + "?" + withoutLoginPrompt(roundTrip, requestURI != "").Encode()
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
		next := oidc.PathAuthorize + "?" + withoutLoginPrompt(roundTrip, requestURI != "").Encode()
		to := "/login?next=" + url.QueryEscape(next)
		if signedIn {
			to += "&prompt=login"
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	case app.StepConsent:
		h.render(w, r, http.StatusOK, views.ConsentPage(consentView(res.Consent, browser.NavUser(sess.Account), withoutLoginPrompt(roundTrip, requestURI != ""))))
	default:
		http.Redirect(w, r, res.RedirectURL, http.StatusSeeOther)
	}
	return nil
}

// narrowerPrompt reports whether prompt got is want with values taken out
// (never added), as the login redirect of a pushed request sends it.
func narrowerPrompt(got, want string) bool {
	for p := range strings.FieldsSeq(got) {
		if !slices.Contains(strings.Fields(want), p) {
			return false
		}
	}
	return true
}

// withoutLoginPrompt copies the parameters with "login" taken out of
// prompt. keepEmpty keeps an emptied prompt as "", which a pushed request
// needs to override its stored prompt.
func withoutLoginPrompt(v url.Values, keepEmpty bool) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	if p, ok := out["prompt"]; ok && len(p) == 1 {
		rest := slices.DeleteFunc(strings.Fields(p[0]), func(s string) bool { return s == oidc.PromptLogin })
		if len(rest) == 0 && !keepEmpty {
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
	v.Params = hiddenParams(values)
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
