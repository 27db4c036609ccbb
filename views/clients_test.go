package views

import (
	"strings"
	"testing"

	"github.com/a-h/templ"
)

// TestClientAndKeyComponentsRender: the OAuth client, API key, shown-once
// and connected-apps components render their zero values and filled ones
// as valid documents (no inline script or style, unique ids, labels that
// point at fields).
func TestClientAndKeyComponentsRender(t *testing.T) {
	row := ClientRow{ID: "client_1", Name: "Acme Dashboard", Description: "Charts.", Created: "2026-01-15", Enabled: true, RedirectURIs: 2}
	form := ClientForm{ID: "client_1", Name: "Acme", RedirectURIs: "https://a.example/cb", Scopes: []ScopeOption{{Value: "openid", Label: "Sign you in", Checked: true}, {Value: "pro", Label: "Use Pro"}},
		Error: "Use at most 50 values.", Fields: FieldErrors{"redirect_uris": "bad", "allowed_scopes": "bad", "name": "Required."}}
	secret := SecretPage{Page: Page{User: operator}, Heading: "Client created", Intro: "Ready.", DoneURL: "/admin/clients/client_1", DoneLabel: "Done",
		Items: []SecretItem{{ID: ClientIDValueID, Label: "Client id", Value: "client_1"}, {ID: ClientSecretValueID, Label: "Client secret", Value: "cs_x", Secret: true, Help: "Keep it."}}}
	keys := []APIKeyRow{{ID: "key_1", Name: "Sync", Org: "Acme", Environment: "test", Created: "2026-01-15", LastUsed: "2026-01-15 10:00 UTC"}, {ID: "key_2", Name: "Old", Environment: "live", Revoked: true}}
	apps := []ConnectedAppRow{{ClientID: "client_1", Name: "Acme", Scopes: []string{"See your email address"}, Granted: "2026-01-15", LastUsed: "2026-01-15 10:00 UTC"}}
	tests := map[string]templ.Component{
		"ClientsView zero":       ClientsView(ClientsPage{}),
		"ClientsView rows":       ClientsView(ClientsPage{Page: Page{User: operator}, Rows: []ClientRow{row, {ID: "client_2", Name: "SPA", Public: true}}, NextURL: "/admin/clients?cursor=x"}),
		"ClientNewView zero":     ClientNewView(ClientNewPage{}),
		"ClientEditView zero":    ClientEditView(ClientEditPage{}),
		"ClientEditView failed":  ClientEditView(ClientEditPage{Page: Page{User: operator}, Client: row, Form: form}),
		"ClientFormView zero":    ClientFormView(ClientForm{}),
		"LinesField zero":        LinesField(Field{}),
		"CheckField zero":        CheckField(Field{}),
		"SecretView zero":        SecretView(SecretPage{}),
		"SecretView items":       SecretView(secret),
		"SecretContent zero":     SecretContent(SecretPage{}),
		"APIKeysView zero":       APIKeysView(APIKeysPage{}),
		"APIKeysView rows":       APIKeysView(APIKeysPage{Page: Page{User: operator}, Rows: keys, FlushEvery: "30 seconds", Form: APIKeyForm{Orgs: []OrgChoice{{"org_1", "Acme"}}, OrgID: "org_1", Fields: FieldErrors{"environment": "Choose live or test.", "organization_id": "No such organization."}}}),
		"APIKeyTable zero":       APIKeyTable(nil, ""),
		"APIKeyFormView zero":    APIKeyFormView(APIKeyForm{}),
		"ConnectedAppsPage zero": ConnectedAppsPage(ConnectedAppsView{}),
		"ConnectedAppsPage apps": ConnectedAppsPage(ConnectedAppsView{Page: Page{User: operator}, Apps: apps}),
		"ConnectedAppsList zero": ConnectedAppsList(nil),
	}
	for name, c := range tests {
		t.Run(name, func(t *testing.T) {
			checkDocument(t, render(t, c))
		})
	}
}

// TestSecretViewCopyButtons: every shown value has a Copy button naming its
// element, and the content opts out of htmx's history cache.
func TestSecretViewCopyButtons(t *testing.T) {
	doc := render(t, SecretView(SecretPage{Heading: "API key created", Items: []SecretItem{
		{ID: APIKeyValueID, Label: "API key", Value: "key_1"}, {ID: APIKeySecretValueID, Label: "Secret", Value: "sk_1", Secret: true}}}))
	for _, id := range []string{APIKeyValueID, APIKeySecretValueID} {
		if len(all(doc, is("input", "id", id, "readonly", ""))) != 1 || len(all(doc, is("button", "type", "button", "data-copy-target", id))) != 1 {
			t.Errorf("%s: no readonly input with a Copy button", id)
		}
	}
	if len(all(doc, is("section", "id", SecretViewID, "hx-history", "false"))) != 1 {
		t.Error("shown-once content may be saved in htmx's history cache")
	}
	if !strings.Contains(text(doc), "cannot be shown again") {
		t.Error("no warning that the secret is shown once")
	}
}

// TestClientFormEditVersusNew: only a new client can be made public; the
// edit form says that changing URIs or scopes asks users again.
func TestClientFormEditVersusNew(t *testing.T) {
	newForm := render(t, ClientFormView(ClientForm{}))
	edit := render(t, ClientFormView(ClientForm{ID: "client_1"}))
	if len(all(newForm, is("input", "name", "public"))) != 1 || len(all(edit, is("input", "name", "public"))) != 0 {
		t.Error("the public checkbox belongs on the new form only")
	}
	if len(all(edit, is("form", "action", "/admin/clients/client_1", "hx-post", "/admin/clients/client_1"))) != 1 {
		t.Error("edit form posts elsewhere")
	}
	if !strings.Contains(text(edit), "consent again") || strings.Contains(text(newForm), "consent again") {
		t.Error("consent help text missing or misplaced")
	}
}
