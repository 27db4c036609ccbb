package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"optare/app"
	"optare/views"
)

// apiKeyFormFields are the fields the API key form shows errors beside.
var apiKeyFormFields = []string{"organization_id", "name", "environment", "expires_at"}

func (h *Handler) apiKeyList(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	vm, err := h.apiKeysModel(r, acc, actor)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, views.APIKeysView(vm))
}

// apiKeysModel is the page: a page of keys, and every organization, for
// the keys' organization names and the form's select.
func (h *Handler) apiKeysModel(r *http.Request, acc app.Account, actor app.Actor) (views.APIKeysPage, error) {
	orgs, err := h.allOrganizations(r, actor)
	if err != nil {
		return views.APIKeysPage{}, err
	}
	page, err := h.svc.ListAPIKeys(r.Context(), actor, app.APIKeyQuery{Cursor: r.URL.Query().Get("cursor"), Limit: 50})
	if err != nil {
		return views.APIKeysPage{}, err
	}
	vm := views.APIKeysPage{Page: h.page(r, "API keys", views.SectionAdmin, "api-keys"), Rows: apiKeyRows(page.APIKeys, orgs, h.svc),
		Form:       views.APIKeyForm{Orgs: orgs, OrgID: acc.Org.ID, Environment: app.EnvLive},
		FlushEvery: flushEvery(app.KeyUsageFlushInterval)}
	if page.NextCursor != "" {
		vm.NextURL = "/admin/settings/api-keys?" + url.Values{"cursor": {string(page.NextCursor)}}.Encode()
	}
	return vm, nil
}

func apiKeyRows(keys []app.APIKey, orgs []views.OrgChoice, svc *app.Service) []views.APIKeyRow {
	perMinute, _ := svc.RateLimitDefaults()
	rows := make([]views.APIKeyRow, 0, len(keys))
	for _, k := range keys {
		row := views.APIKeyRow{ID: k.ID, Name: k.Name, Org: k.OrganizationID, OrgID: k.OrganizationID, Environment: k.Environment,
			Created: k.CreatedAt.UTC().Format(dateLayout), Revoked: k.RevokedAt != nil,
			RateLimit: views.RateLimitCell{Action: "/admin/settings/api-keys/" + k.ID + "/rate-limit", Limit: k.RateLimitPerMinute,
				Default: perMinute, Window: "minute", Label: k.Name}}
		for _, o := range orgs {
			if o.ID == k.OrganizationID {
				row.Org = o.Name
			}
		}
		if k.LastUsedAt != nil {
			row.LastUsed = k.LastUsedAt.UTC().Format(timeLayout)
		}
		if k.ExpiresAt != nil {
			row.Expires = dayOrTime(*k.ExpiresAt)
		}
		rows = append(rows, row)
	}
	return rows
}

// dayOrTime formats a time as its date when it is midnight UTC (an expiry
// chosen as a date), else with the time of day.
func dayOrTime(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format(dateLayout)
	}
	return t.Format(timeLayout)
}

// allOrganizations lists every organization the actor sees, page by page.
func (h *Handler) allOrganizations(r *http.Request, actor app.Actor) ([]views.OrgChoice, error) {
	var out []views.OrgChoice
	cursor := ""
	for {
		page, err := h.svc.ListOrganizations(r.Context(), actor, cursor, app.MaxLimit)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Organizations {
			out = append(out, views.OrgChoice{ID: o.ID, Name: o.Name})
		}
		if page.NextCursor == "" {
			return out, nil
		}
		cursor = string(page.NextCursor)
	}
}

// flushEvery says a flush interval in words: "30 seconds", "2 minutes".
func flushEvery(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return views.Count(int(d/time.Minute), "minute", "minutes")
	}
	return views.Count(int(d/time.Second), "second", "seconds")
}

func (h *Handler) apiKeyCreate(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	f := r.PostForm
	in := app.APIKeyInput{OrganizationID: f.Get("organization_id"), Name: f.Get("name"), Environment: f.Get("environment"), ExpiresAt: f.Get("expires_at")}
	key, err := h.svc.CreateAPIKey(r.Context(), actor, in)
	if err != nil {
		e, ok := formFailure(err, app.KindNotFound)
		if !ok {
			return err
		}
		vm, verr := h.apiKeysModel(r, acc, actor)
		if verr != nil {
			return verr
		}
		vm.Form = views.APIKeyForm{Orgs: vm.Form.Orgs, OrgID: in.OrganizationID, Name: in.Name, Environment: in.Environment,
			ExpiresAt: in.ExpiresAt, Fields: e.Fields, Error: otherErrors(e, apiKeyFormFields)}
		if e.Kind == app.KindNotFound {
			vm.Form.Error, vm.Form.Fields = "", views.FieldErrors{"organization_id": "Choose an organization from the list."}
		}
		if isHTMX(r) {
			return h.render(w, r, http.StatusUnprocessableEntity, views.APIKeyFormView(vm.Form))
		}
		return h.render(w, r, http.StatusUnprocessableEntity, views.APIKeysView(vm))
	}
	return h.renderSecret(w, r, views.SecretPage{Page: h.page(r, "API key created", views.SectionAdmin, "api-keys"),
		Heading: "API key created", Intro: "The key " + key.Name + " (" + key.Environment + ") is ready.",
		Items: []views.SecretItem{
			{ID: views.APIKeyValueID, Label: "API key", Value: key.Key, Help: "Send it as Authorization: Bearer <key>. It is also the key's id in lists and the audit log."},
			{ID: views.APIKeySecretValueID, Label: "Secret", Value: key.Secret, Secret: true, Help: "Send it as X-API-Secret: <secret>. Keep it out of code repositories."},
		},
		Usage:   "The CLI reads them from OPTARE_API_KEY and OPTARE_API_SECRET when it talks to this server with --server.",
		DoneURL: "/admin/settings/api-keys", DoneLabel: "Done, I saved them"})
}

// apiKeyRevoke revokes a key at once. Its only sender is the shared
// confirmation's plain form, so the answer is a redirect with a flash.
func (h *Handler) apiKeyRevoke(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	key, err := h.svc.RevokeAPIKey(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "The API key "+key.Name+" was revoked. Requests with it are refused from now on.")
	redirectAfterPost(w, r, "/admin/settings/api-keys")
	return nil
}

// apiKeyRateLimit sets a key's API rate limit (empty or 0: the default).
func (h *Handler) apiKeyRateLimit(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	n, err := formLimit(r)
	if err == nil {
		_, err = h.svc.SetAPIKeyRateLimit(r.Context(), actor, r.PathValue("id"), n)
	}
	return h.rateLimitSet(w, r, err, "/admin/settings/api-keys")
}

// formLimit reads the rate-limit form: a whole number, empty meaning 0
// (the default).
func formLimit(r *http.Request) (int, error) {
	if err := r.ParseForm(); err != nil {
		return 0, errBadForm(err)
	}
	v := strings.TrimSpace(r.PostForm.Get("limit"))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, &app.Error{Kind: app.KindInvalid, Message: "Give the limit as a whole number of requests (0 for the default).",
			Fields: map[string]string{"limit": "Give a whole number."}}
	}
	return n, nil
}

// rateLimitSet answers a rate-limit form: back to the page with a flash,
// the refusal as the flash when the value was refused.
func (h *Handler) rateLimitSet(w http.ResponseWriter, r *http.Request, err error, back string) error {
	flash := "The rate limit was saved."
	if err != nil {
		e, ok := formFailure(err)
		if !ok {
			return err
		}
		flash = e.Message
		if m := e.Fields["limit"]; m != "" {
			flash = m
		}
	}
	h.sessions.Put(r.Context(), keyFlash, flash)
	redirectAfterPost(w, r, back)
	return nil
}
