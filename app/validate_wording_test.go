package app_test

import (
	"context"
	"strings"
	"testing"

	"optare/app"
	"optare/app/apptest"
)

// TestRequiredFieldWording: a missing field is asked for the same way on
// every form ("Enter a slug.", "Enter a name."), never "This field is
// required.", whichever check it comes from.
func TestRequiredFieldWording(t *testing.T) {
	env := apptest.New(t)
	ctx, cli := context.Background(), app.CLI()
	op := env.Operator(t)
	cases := []struct {
		name string
		do   func() error
		want map[string]string
	}{
		{"product", func() error {
			_, err := env.Svc.CreateProduct(ctx, cli, app.ProductInput{Features: []string{"Export", " "}})
			return err
		}, map[string]string{"name": "Enter a name.", "slug": "Enter a slug.", "features": "Each feature: Enter its text, or remove the row."}},
		{"organization", func() error {
			_, err := env.Svc.CreateOrganization(ctx, cli, app.OrganizationInput{})
			return err
		}, map[string]string{"name": "Enter the organization's name."}},
		{"client", func() error {
			_, err := env.Svc.CreateClient(ctx, cli, app.ClientInput{RedirectURIs: []string{"https://app.example.com/cb"}})
			return err
		}, map[string]string{"name": "Enter a name."}},
		{"api key", func() error {
			_, err := env.Svc.CreateAPIKey(ctx, cli, app.APIKeyInput{OrganizationID: op.Org.ID})
			return err
		}, map[string]string{"name": "Enter a name for the key."}},
	}
	for _, tc := range cases {
		e := app.AsError(tc.do())
		if e.Kind != app.KindInvalid {
			t.Fatalf("%s: %v, want invalid", tc.name, e)
		}
		for field, want := range tc.want {
			if got := e.Fields[field]; got != want {
				t.Errorf("%s %s: %q, want %q", tc.name, field, got, want)
			}
		}
		for field, msg := range e.Fields {
			if !strings.HasPrefix(msg, "Enter ") && !strings.Contains(msg, ": Enter ") {
				t.Errorf("%s %s: %q does not ask like the others", tc.name, field, msg)
			}
		}
	}
}
