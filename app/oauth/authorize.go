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
// It reads the request, asks app what comes next for this browser, and
// takes the user there.
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request) error {
	ar, err := h.readAuthorize(w, r)
	if err != nil {
		return err
	}
	req, perr := oidc.ParseAuthorizeRequest(ar.params)
	if perr != nil && !perr.Redirectable {
		return perr
	}
	sess, signedIn := h.sessions.Current(r)
	if signedIn && sess.Account.NeedsMFASetup() && perr == nil {
		// The organization requires a second factor this user has yet to
		// set up: that comes first, then back here.
		http.Redirect(w, r, "/portal/account/authenticator?next="+url.QueryEscape(ar.backURL()), http.StatusSeeOther)
		return nil
	}
	in := app.AuthorizeInput{Request: req, Decision: ar.decision, IP: middleware.ClientIP(r), RequestURI: ar.requestURI}
	if perr != nil {
		in.ParseError = perr
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
	h.authorizeStep(w, r, res, ar, sess, signedIn)
	return nil
}

// authorizeRequest is an authorization request as the endpoint received it.
type authorizeRequest struct {
	// params are the request's parameters: a pushed request's as stored.
	params url.Values
	// roundTrip is what the login redirect and the consent form carry: the
	// parameters, or for a pushed request client_id, request_uri and prompt.
	roundTrip url.Values
	// requestURI names the pushed request (RFC 9126); "" for a plain one.
	requestURI string
	// decision is the consent form's approve or deny; "" on a visit.
	decision string
}

// back is roundTrip without prompt=login: what sign-in, second-factor
// set-up and the consent form come back with, so a fresh sign-in is not
// asked for again.
func (ar authorizeRequest) back() url.Values {
	return withoutLoginPrompt(ar.roundTrip, ar.requestURI != "")
}

// backURL is the authorization endpoint with back's parameters.
func (ar authorizeRequest) backURL() string { return oidc.PathAuthorize + "?" + ar.back().Encode() }

// readAuthorize reads the parameters from the query or the POST form, with
// the consent form's decision taken out of them, and expands a pushed
// request.
func (h *Handler) readAuthorize(w http.ResponseWriter, r *http.Request) (authorizeRequest, error) {
	ar := authorizeRequest{params: r.URL.Query()}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, oidc.MaxFormBytes)
		if err := r.ParseForm(); err != nil {
			return ar, oidc.InvalidRequest("the form could not be read")
		}
		ar.params = r.PostForm
		if ar.decision = ar.params.Get("decision"); ar.decision != app.DecisionApprove && ar.decision != app.DecisionDeny {
			ar.decision = ""
		}
		ar.params.Del("decision")
	}
	ar.roundTrip, ar.requestURI = ar.params, ar.params.Get("request_uri")
	if ar.requestURI == "" {
		return ar, nil
	}
	err := h.expandPushed(r, &ar)
	return ar, err
}

// expandPushed replaces a pushed request's client_id and request_uri by
// the parameters stored for it; they travel as client_id and request_uri
// (and prompt) through sign-in and consent.
func (h *Handler) expandPushed(r *http.Request, ar *authorizeRequest) error {
	clientID := ar.params.Get("client_id")
	pushed, err := h.svc.PushedRequest(r.Context(), clientID, ar.requestURI)
	if err != nil {
		return err
	}
	ar.roundTrip = url.Values{"client_id": {clientID}, "request_uri": {ar.requestURI}, "prompt": {pushed.Get("prompt")}}
	if p, ok := ar.params["prompt"]; ok && len(p) == 1 && narrowerPrompt(p[0], pushed.Get("prompt")) {
		// After signing in the prompt carries login no longer.
		pushed.Set("prompt", p[0])
		ar.roundTrip.Set("prompt", p[0])
	}
	ar.params = pushed
	return nil
}

// authorizeStep takes the browser to the step app decided: sign-in, the
// consent screen, or back to the client with a code or an error.
func (h *Handler) authorizeStep(w http.ResponseWriter, r *http.Request, res app.AuthorizeResult, ar authorizeRequest, sess browser.Session, signedIn bool) {
	switch res.Step {
	case app.StepLogin:
		// With a session, /login must show the form anyway (prompt=login),
		// or it would send the user straight back with the too-old sign-in.
		to := "/login?next=" + url.QueryEscape(ar.backURL())
		if signedIn {
			to += "&prompt=login"
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	case app.StepConsent:
		h.render(w, r, http.StatusOK, views.ConsentPage(consentView(res.Consent, browser.NavUser(sess.Account), ar.back())))
	default:
		http.Redirect(w, r, res.RedirectURL, http.StatusSeeOther)
	}
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
