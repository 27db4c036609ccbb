package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/a-h/templ"

	"optare/app"
	"optare/app/middleware"
	"optare/app/oidc"
	"optare/views"
)

// clientFormFields are the client fields the form shows errors beside;
// errors about any other field are shown above the form.
var clientFormFields = []string{"name", "description", "redirect_uris", "allowed_origins", "allowed_scopes", "public", "require_pkce",
	"first_party", "grant_types", "token_endpoint_auth_method", "initiate_login_uri", "target_link_uri", "require_pushed_authorization_requests", "dpop_bound_access_tokens",
	"jwks", "jwks_uri"}

// clientGrantTypes are the grant type checkboxes: the stored value and the
// short name the CLI also uses.
var clientGrantTypes = []views.Option{{Value: oidc.GrantAuthorizationCode, Label: "authorization_code"},
	{Value: oidc.GrantRefreshToken, Label: "refresh_token"}, {Value: oidc.GrantClientCredentials, Label: "client_credentials"},
	{Value: oidc.GrantDeviceCode, Label: "device_code"}}

func grantOptions(chosen []string) []views.ScopeOption {
	var out []views.ScopeOption
	for _, g := range clientGrantTypes {
		out = append(out, views.ScopeOption{Value: g.Value, Label: g.Label, Checked: slices.Contains(chosen, g.Value)})
	}
	return out
}

// jsonText passes a textarea's JSON on as typed; the domain says what is
// wrong with it. Invalid JSON is sent as a JSON string, so it is refused
// with the field's message rather than breaking the request.
func jsonText(s string) json.RawMessage {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if !json.Valid([]byte(s)) {
		b, _ := json.Marshal(s)
		return b
	}
	return json.RawMessage(s)
}

// clientAuthMethod is the method the form sends: none for a public client,
// whatever the (then hidden) select says.
func clientAuthMethod(f views.ClientForm) string {
	if f.Public {
		return oidc.AuthMethodNone
	}
	return f.AuthMethod
}

func (h *Handler) clientList(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	page, err := h.svc.ListClients(r.Context(), acc.Actor(middleware.ClientIP(r)), "", r.URL.Query().Get("cursor"), 50)
	if err != nil {
		return err
	}
	vm := views.ClientsPage{Page: h.page(r, "OAuth clients", views.SectionAdmin, "clients")}
	for _, c := range page.Clients {
		vm.Rows = append(vm.Rows, clientRow(c))
	}
	if page.NextCursor != "" {
		vm.NextURL = "/admin/clients?" + url.Values{"cursor": {string(page.NextCursor)}}.Encode()
	}
	h.render(w, r, http.StatusOK, views.ClientsView(vm))
	return nil
}

func clientRow(c app.Client) views.ClientRow {
	return views.ClientRow{ID: c.ClientID, Name: c.Name, Description: c.Description, Created: c.CreatedAt.UTC().Format(dateLayout),
		Public: c.Public, Enabled: c.Enabled, RedirectURIs: len(c.RedirectURIs)}
}

func (h *Handler) clientNew(w http.ResponseWriter, r *http.Request) error {
	scopes, err := h.scopeOptions(r, clientDefaultScopes)
	if err != nil {
		return err
	}
	vm := views.ClientNewPage{Page: h.page(r, "New OAuth client", views.SectionAdmin, "clients"), Form: views.ClientForm{Scopes: scopes,
		Grants: grantOptions(nil), AuthMethod: oidc.AuthMethodSecretBasic}}
	h.render(w, r, http.StatusOK, views.ClientNewView(vm))
	return nil
}

// clientDefaultScopes are ticked on a new client's form: what the domain
// gives a client when none are chosen.
var clientDefaultScopes = []string{oidc.ScopeOpenID, oidc.ScopeEmail, oidc.ScopeProfile, oidc.ScopeOfflineAccess}

func (h *Handler) clientCreate(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	form := clientFormOf(r.PostForm)
	in := app.ClientInput{Name: form.Name, Description: form.Description, RedirectURIs: lines(form.RedirectURIs),
		AllowedOrigins: lines(form.AllowedOrigins), AllowedScopes: r.PostForm["allowed_scopes"],
		Public: form.Public, RequirePKCE: form.RequirePKCE, FirstParty: form.FirstParty, GrantTypes: r.PostForm["grant_types"],
		AuthMethod: clientAuthMethod(form), InitiateLoginURI: form.InitiateLoginURI, TargetLinkURI: form.TargetLinkURI, RequirePAR: form.RequirePAR,
		RequireDPoP: form.RequireDPoP, JWKS: jsonText(form.JWKS), JWKSURI: form.JWKSURI}
	c, err := h.svc.CreateClient(r.Context(), acc.Actor(middleware.ClientIP(r)), in)
	if err != nil {
		return h.clientFormFailed(w, r, form, r.PostForm["allowed_scopes"], err, func(f views.ClientForm) templ.Component {
			return views.ClientNewView(views.ClientNewPage{Page: h.page(r, "New OAuth client", views.SectionAdmin, "clients"), Form: f})
		})
	}
	return h.showClientSecret(w, r, c, "Client created", "The client "+c.Name+" is ready. Give the app its client id and secret.")
}

// clientFormOf reads the form's fields as typed, for the app call and for
// showing the form again.
func clientFormOf(f url.Values) views.ClientForm {
	return views.ClientForm{Name: f.Get("name"), Description: f.Get("description"),
		RedirectURIs: f.Get("redirect_uris"), AllowedOrigins: f.Get("allowed_origins"),
		Public: f.Get("public") != "", RequirePKCE: f.Get("require_pkce") != "", FirstParty: f.Get("first_party") != "",
		RequirePAR: f.Get("require_par") != "", RequireDPoP: f.Get("require_dpop") != "", JWKS: f.Get("jwks"), JWKSURI: f.Get("jwks_uri"), Grants: grantOptions(f["grant_types"]), AuthMethod: f.Get("token_endpoint_auth_method"), InitiateLoginURI: f.Get("initiate_login_uri"), TargetLinkURI: f.Get("target_link_uri")}
}

// clientFormFailed answers a failed create or update: validation errors
// re-render the form (alone for htmx, in its page otherwise) with 422;
// anything else is an error page.
func (h *Handler) clientFormFailed(w http.ResponseWriter, r *http.Request, form views.ClientForm, chosen []string, err error,
	page func(views.ClientForm) templ.Component) error {
	e := app.AsError(err)
	if e.Kind != app.KindInvalid {
		return err
	}
	scopes, serr := h.scopeOptions(r, chosen)
	if serr != nil {
		return serr
	}
	form.Scopes, form.Fields, form.Error = scopes, e.Fields, otherErrors(e, clientFormFields)
	if isHTMX(r) {
		h.render(w, r, http.StatusUnprocessableEntity, views.ClientFormView(form))
		return nil
	}
	h.render(w, r, http.StatusUnprocessableEntity, page(form))
	return nil
}

// showClientSecret answers a create or a rotation with the shown-once page.
func (h *Handler) showClientSecret(w http.ResponseWriter, r *http.Request, c app.ClientWithSecret, heading, intro string) error {
	vm := views.SecretPage{Page: h.page(r, heading, views.SectionAdmin, "clients"), Heading: heading, Intro: intro,
		DoneURL: "/admin/clients/" + c.ClientID, DoneLabel: "Done, I saved them",
		Items: []views.SecretItem{{ID: views.ClientIDValueID, Label: "Client id", Value: c.ClientID,
			Help: "Not a secret: the app sends it as client_id."}}}
	if c.ClientSecret != "" {
		vm.Items = append(vm.Items, views.SecretItem{ID: views.ClientSecretValueID, Label: "Client secret", Value: c.ClientSecret, Secret: true,
			Help: "Keep it on the app's server only; it authenticates the app at the token endpoint."})
	} else {
		vm.Intro += " A public client has no secret: it proves itself with PKCE."
	}
	h.renderSecret(w, r, vm)
	return nil
}

// renderSecret shows a shown-once page as the POST's own answer, so the
// secret is never stored (not even in the session) or put in a URL. htmx
// swaps it into <main> in place of the page that posted.
func (h *Handler) renderSecret(w http.ResponseWriter, r *http.Request, vm views.SecretPage) {
	if isHTMX(r) {
		w.Header().Set("HX-Retarget", "#"+views.MainID)
		w.Header().Set("HX-Reswap", "innerHTML show:window:top")
		h.render(w, r, http.StatusOK, views.Fragments(views.Flash(vm.Page.Flash), views.SecretContent(vm)))
		return
	}
	h.render(w, r, http.StatusOK, views.SecretView(vm))
}

func (h *Handler) clientEdit(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	c, err := h.svc.ClientByID(r.Context(), acc.Actor(middleware.ClientIP(r)), r.PathValue("id"))
	if err != nil {
		return err
	}
	scopes, err := h.scopeOptions(r, c.AllowedScopes)
	if err != nil {
		return err
	}
	form := views.ClientForm{ID: c.ClientID, Name: c.Name, Description: c.Description, RedirectURIs: strings.Join(c.RedirectURIs, "\n"),
		AllowedOrigins: strings.Join(c.AllowedOrigins, "\n"), Scopes: scopes, Public: c.Public, RequirePKCE: c.RequirePKCE, FirstParty: c.FirstParty,
		Grants: grantOptions(c.GrantTypes), AuthMethod: c.AuthMethod, InitiateLoginURI: c.InitiateLoginURI, TargetLinkURI: c.TargetLinkURI, RequirePAR: c.RequirePAR,
		RequireDPoP: c.RequireDPoP, JWKS: string(c.JWKS), JWKSURI: c.JWKSURI}
	h.render(w, r, http.StatusOK, views.ClientEditView(views.ClientEditPage{Page: h.page(r, c.Name, views.SectionAdmin, "clients"),
		Client: clientRow(c), Form: form}))
	return nil
}

func (h *Handler) clientUpdate(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	actor := acc.Actor(middleware.ClientIP(r))
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	id := r.PathValue("id")
	form := clientFormOf(r.PostForm)
	form.ID = id
	redirects, origins, scopes := lines(form.RedirectURIs), lines(form.AllowedOrigins), r.PostForm["allowed_scopes"]
	grants := r.PostForm["grant_types"]
	p := app.ClientPatch{Name: &form.Name, Description: &form.Description,
		RedirectURIs: &redirects, AllowedOrigins: &origins, AllowedScopes: &scopes, GrantTypes: &grants,
		RequirePKCE: &form.RequirePKCE, FirstParty: &form.FirstParty, InitiateLoginURI: &form.InitiateLoginURI, TargetLinkURI: &form.TargetLinkURI, RequirePAR: &form.RequirePAR,
		RequireDPoP: &form.RequireDPoP}
	if form.AuthMethod != "" { // a public client's form has no select
		jwks := jsonText(form.JWKS)
		p.AuthMethod, p.JWKS, p.JWKSURI = &form.AuthMethod, &jwks, &form.JWKSURI
	}
	c, err := h.svc.UpdateClient(r.Context(), actor, id, p)
	if err != nil {
		return h.clientFormFailed(w, r, form, scopes, err, func(f views.ClientForm) templ.Component {
			return h.clientEditFailedPage(r, actor, f)
		})
	}
	h.sessions.Put(r.Context(), keyFlash, "The changes to "+c.Name+" were saved.")
	redirectAfterPost(w, r, "/admin/clients/"+c.ClientID)
	return nil
}

// clientEditFailedPage is the client's page around a form that failed
// validation. The client is read again for the parts beside the form.
func (h *Handler) clientEditFailedPage(r *http.Request, actor app.Actor, f views.ClientForm) templ.Component {
	row := views.ClientRow{ID: f.ID, Name: f.Name, Enabled: true}
	if c, err := h.svc.ClientByID(r.Context(), actor, f.ID); err == nil {
		row = clientRow(c)
	}
	f.Public = row.Public
	return views.ClientEditView(views.ClientEditPage{Page: h.page(r, row.Name, views.SectionAdmin, "clients"), Client: row, Form: f})
}

// clientSetEnabled enables or disables a client and goes back to the list,
// whichever page the button was on.
func (h *Handler) clientSetEnabled(enabled bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		acc, _ := accountFrom(r.Context())
		c, err := h.svc.SetClientEnabled(r.Context(), acc.Actor(middleware.ClientIP(r)), r.PathValue("id"), enabled)
		if err != nil {
			return err
		}
		msg := c.Name + " was disabled: it can no longer sign users in, and its tokens stopped working."
		if enabled {
			msg = c.Name + " was enabled."
		}
		h.sessions.Put(r.Context(), keyFlash, msg)
		redirectAfterPost(w, r, "/admin/clients")
		return nil
	}
}

func (h *Handler) clientRotateSecret(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	c, err := h.svc.RotateClientSecret(r.Context(), acc.Actor(middleware.ClientIP(r)), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.showClientSecret(w, r, c, "New client secret", "The secret of "+c.Name+" was replaced; the old one no longer works.")
}

// scopeOptions is the scope checklist: the standard scopes, then every
// product's slug, then anything else already chosen (an archived product),
// so that saving a form never drops a scope silently.
func (h *Handler) scopeOptions(r *http.Request, chosen []string) ([]views.ScopeOption, error) {
	acc, _ := accountFrom(r.Context())
	var out []views.ScopeOption
	for _, s := range clientDefaultScopes {
		out = append(out, views.ScopeOption{Value: s, Label: oidc.ScopeDescription(s), Checked: slices.Contains(chosen, s)})
	}
	q := app.ProductQuery{Limit: app.MaxLimit}
	for {
		page, err := h.svc.ListProducts(r.Context(), acc.Actor(middleware.ClientIP(r)), q)
		if err != nil {
			return nil, err
		}
		for _, p := range page.Products {
			out = append(out, views.ScopeOption{Value: p.Slug, Label: "Use " + p.Name, Checked: slices.Contains(chosen, p.Slug)})
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = string(page.NextCursor)
	}
	for _, s := range chosen {
		if !slices.ContainsFunc(out, func(o views.ScopeOption) bool { return o.Value == s }) {
			out = append(out, views.ScopeOption{Value: s, Label: "Not a current product", Checked: true})
		}
	}
	return out, nil
}

// lines splits a textarea into its non-empty lines, trimmed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// otherErrors is the form-level message of a validation error: the errors
// of fields the form does not show, or the message when no field is named.
func otherErrors(e *app.Error, shown []string) string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	var msgs []string
	for name, msg := range e.Fields {
		if !slices.Contains(shown, name) {
			msgs = append(msgs, msg)
		}
	}
	slices.Sort(msgs)
	return strings.Join(msgs, " ")
}
