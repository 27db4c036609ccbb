package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
)

// TestDangerConfirmations: Revoke and Disable lead to a confirmation that
// names the key or client, as a page and (for htmx) as a dialog; asking
// changes nothing, and the confirmation's form does it.
func TestDangerConfirmations(t *testing.T) {
	env := apptest.New(t)
	ctx, cli := context.Background(), app.CLI()
	env.Operator(t)
	env.Customer(t, "acme", "olga@acme.test", app.RoleOwner)
	key, err := env.Svc.CreateAPIKey(ctx, cli, app.APIKeyInput{OrganizationID: "acme", Name: "Billing sync"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := env.Svc.CreateClient(ctx, cli, app.ClientInput{Name: "Otomate Web", RedirectURIs: []string{"https://app.example.com/cb"}, AllowedScopes: []string{"openid"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("owner@example.com")
	for _, tc := range []struct{ list, confirm, title, button string }{
		{"/admin/settings/api-keys", "/admin/settings/api-keys/" + key.ID + "/revoke", "Revoke the API key Billing sync?", "Revoke"},
		{"/admin/clients", "/admin/clients/" + c.ID + "/disable", "Disable Otomate Web?", "Disable"},
	} {
		if _, body := b.Get(tc.list); !strings.Contains(body, `href="`+tc.confirm+`"`) {
			t.Errorf("%s: no danger link to %s", tc.list, tc.confirm)
		}
		res, body := b.Get(tc.confirm)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, tc.title) || !strings.Contains(body, `<form method="post" action="`+tc.confirm+`"><button type="submit" class="danger">`+tc.button+`</button>`) {
			t.Errorf("%s: confirmation page %d\n%s", tc.confirm, res.StatusCode, body)
		}
		res, body = htmx(b, http.MethodGet, tc.confirm, nil)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(body), "<dialog open") || !strings.Contains(body, tc.title) {
			t.Errorf("%s: dialog %d\n%s", tc.confirm, res.StatusCode, body)
		}
	}
	if k, _ := env.Svc.APIKeyByID(ctx, cli, key.ID); k.RevokedAt != nil {
		t.Fatal("asking revoked the key")
	}
	if cl, _ := env.Svc.ClientByID(ctx, cli, c.ID); !cl.Enabled {
		t.Fatal("asking disabled the client")
	}
	if res, _ := b.PostForm("/admin/settings/api-keys/"+key.ID+"/revoke", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if k, _ := env.Svc.APIKeyByID(ctx, cli, key.ID); k.RevokedAt == nil {
		t.Fatal("the confirmation's form did not revoke the key")
	}
}
