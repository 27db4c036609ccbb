package oauth_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/pquerna/otp/totp"
	"golang.org/x/oauth2"

	"optare/app"
	"optare/app/apptest"
	optareoidc "optare/app/oidc"
)

// signInMethods is what an ID token says about the sign-in.
type signInMethods struct {
	AMR []string `json:"amr"`
	ACR string   `json:"acr"`
}

// authorizeTwoStep runs the browser part of the flow like fixture.authorize,
// answering the second step with a fresh code from secret.
func (f *fixture) authorizeTwoStep(b *apptest.Browser, authURL, secret string) url.Values {
	f.t.Helper()
	next := strings.TrimPrefix(authURL, f.ts.URL)
	for range 8 {
		res, body := b.Get(next)
		if res.StatusCode == http.StatusOK && strings.Contains(body, `id="consent-form"`) {
			form := hiddenFields(f.t, body)
			form.Set("decision", "approve")
			res, _ = b.PostForm("/oauth/authorize", form)
			return callbackQuery(f.t, res.Header.Get("Location"))
		}
		if res.StatusCode != http.StatusSeeOther {
			f.t.Fatalf("GET %s: %d\n%s", next, res.StatusCode, body)
		}
		loc := res.Header.Get("Location")
		switch {
		case strings.HasPrefix(loc, callback):
			return callbackQuery(f.t, loc)
		case strings.HasPrefix(loc, "/login"):
			u, _ := url.Parse(loc)
			res, _ = b.PostForm("/login", url.Values{"email": {f.user.User.Email}, "password": {apptest.Password}, "next": {u.Query().Get("next")}})
			if res.Header.Get("Location") == "/login/second-factor" {
				f.env.Clock.Advance(30 * time.Second)
				code, _ := totp.GenerateCode(secret, f.env.Clock.Now())
				res, _ = b.PostForm("/login/second-factor", url.Values{"method": {"totp"}, "code": {code}})
			}
			if res.StatusCode != http.StatusSeeOther {
				f.t.Fatalf("sign-in: %d", res.StatusCode)
			}
			loc = res.Header.Get("Location")
		}
		next = loc
	}
	f.t.Fatal("authorization did not reach the callback")
	return nil
}

func (f *fixture) idTokenMethods(provider *oidc.Provider, q url.Values, verifier string) (signInMethods, *oauth2.Token) {
	f.t.Helper()
	tok, err := f.conf.Exchange(f.ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		f.t.Fatalf("exchange: %v", err)
	}
	return f.verifyMethods(provider, tok), tok
}

func (f *fixture) verifyMethods(provider *oidc.Provider, tok *oauth2.Token) signInMethods {
	f.t.Helper()
	raw, _ := tok.Extra("id_token").(string)
	idt, err := provider.Verifier(&oidc.Config{ClientID: f.client.ClientID, Now: f.env.Clock.Now}).Verify(f.ctx, raw)
	if err != nil {
		f.t.Fatalf("verify ID token: %v", err)
	}
	var m signInMethods
	if err := idt.Claims(&m); err != nil {
		f.t.Fatal(err)
	}
	return m
}

func TestAMRAndMFA(t *testing.T) {
	f := newFixture(t, app.ClientInput{})
	ctx := context.Background()
	provider, err := oidc.NewProvider(f.ctx, f.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	var disc struct {
		ACRValues []string `json:"acr_values_supported"`
	}
	if err := provider.Claims(&disc); err != nil || !slices.Contains(disc.ACRValues, optareoidc.ACRMultiFactor) {
		t.Fatalf("discovery acr_values_supported %v %v", disc.ACRValues, err)
	}

	// A password sign-in: amr pwd, no acr.
	b := apptest.NewBrowser(t, f.ts)
	verifier := oauth2.GenerateVerifier()
	q := f.authorize(b, f.conf.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier)), "approve")
	m, _ := f.idTokenMethods(provider, q, verifier)
	if !slices.Equal(m.AMR, []string{"pwd"}) || m.ACR != "" {
		t.Fatalf("password sign-in: %+v", m)
	}

	// With an authenticator app, acr_values asks for it even though this
	// browser is signed in with the password alone.
	setup, err := f.env.Svc.BeginTOTPSetup(ctx, f.user.Actor(""))
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(setup.Secret, f.env.Clock.Now())
	if _, err := f.env.Svc.ConfirmTOTP(ctx, f.user.Actor(""), code); err != nil {
		t.Fatal(err)
	}
	verifier = oauth2.GenerateVerifier()
	q = f.authorizeTwoStep(b, f.conf.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("acr_values", optareoidc.ACRMultiFactor)), setup.Secret)
	m, _ = f.idTokenMethods(provider, q, verifier)
	if !slices.Contains(m.AMR, "mfa") || !slices.Contains(m.AMR, "otp") || m.ACR != optareoidc.ACRMultiFactor {
		t.Fatalf("acr_values sign-in: %+v", m)
	}
	// Under an MFA policy a password-only session is not enough for the app.
	if _, err := f.env.Svc.SetOrgMFARequired(ctx, app.CLI(), "acme", true); err != nil {
		t.Fatal(err)
	}
	b2 := apptest.NewBrowser(t, f.ts)
	b2.Login(f.user.User.Email) // stops at the second step
	verifier = oauth2.GenerateVerifier()
	q = f.authorizeTwoStep(b2, f.conf.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier)), setup.Secret)
	if m, _ := f.idTokenMethods(provider, q, verifier); !slices.Contains(m.AMR, "mfa") {
		t.Fatalf("policy sign-in: %+v", m)
	}
}
