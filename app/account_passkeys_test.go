package app_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"optare/app"
	"optare/app/apptest"
)

func TestPasskeyConfig(t *testing.T) {
	for issuer, ok := range map[string]bool{
		"https://id.example.com":      true,
		"https://id.example.com:8443": true,
		"http://localhost:8080":       true,
		"http://127.0.0.1:8080":       true,
		"http://[::1]:8080":           true,
		"http://id.example.com":       false,
		"http://10.0.0.5:8080":        false,
		"not a url":                   false,
	} {
		cfg, err := app.PasskeyConfig(issuer)
		if (err == nil) != ok {
			t.Errorf("%s: err = %v, want ok=%v", issuer, err, ok)
			continue
		}
		if ok && (cfg.RPID == "" || len(cfg.RPOrigins) != 1) {
			t.Errorf("%s: %+v", issuer, cfg)
		}
	}
	cfg, _ := app.PasskeyConfig("https://id.example.com:8443")
	if cfg.RPID != "id.example.com" || cfg.RPOrigins[0] != "https://id.example.com:8443" {
		t.Errorf("rp id %q origin %q", cfg.RPID, cfg.RPOrigins[0])
	}
}

func TestPasskeyCeremonies(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	env.Operator(t)
	acc := env.Customer(t, "acme", "ada@acme.test", app.RoleMember)

	env.Svc.SetIssuer("http://id.example.com")
	if _, err := env.Svc.BeginPasskeyLogin(ctx); app.ErrorKind(err) != app.KindUnavailable {
		t.Fatalf("plain-http issuer: %v", err)
	}
	env.Svc.SetIssuer("https://id.example.com")

	reg, err := env.Svc.BeginPasskeyRegistration(ctx, acc.Actor(""))
	if err != nil {
		t.Fatal(err)
	}
	var opts struct {
		PublicKey struct {
			RP                     struct{ ID string }
			AuthenticatorSelection struct {
				ResidentKey      string `json:"residentKey"`
				UserVerification string `json:"userVerification"`
			} `json:"authenticatorSelection"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(reg.Options, &opts); err != nil {
		t.Fatal(err)
	}
	if sel := opts.PublicKey.AuthenticatorSelection; opts.PublicKey.RP.ID != "id.example.com" || sel.ResidentKey != "required" || sel.UserVerification != "required" {
		t.Fatalf("creation options %+v", opts.PublicKey)
	}
	// A ceremony's challenge belongs to its user and is spent by any answer.
	other := env.Customer(t, "acme", "bob@acme.test", app.RoleMember)
	if _, err := env.Svc.FinishPasskeyRegistration(ctx, other.Actor(""), reg.Handle, "x", []byte(`{}`)); app.AsError(err).Code != "passkey_expired" {
		t.Fatalf("another user's ceremony: %v", err)
	}
	if _, err := env.Svc.FinishPasskeyRegistration(ctx, acc.Actor(""), reg.Handle, "x", []byte(`{}`)); app.AsError(err).Code != "passkey_expired" {
		t.Fatalf("spent ceremony: %v", err)
	}

	login, err := env.Svc.BeginPasskeyLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.Svc.FinishPasskeyLogin(ctx, "1.1.1.1", login.Handle, []byte(`{"id":"x"}`)); app.AsError(err).Code != "invalid_passkey" {
		t.Fatalf("bad answer: %v", err)
	}
	if _, _, err := env.Svc.FinishPasskeyLogin(ctx, "1.1.1.1", login.Handle, []byte(`{"id":"x"}`)); app.AsError(err).Code != "passkey_expired" {
		t.Fatalf("challenge reused: %v", err)
	}
	late, _ := env.Svc.BeginPasskeyLogin(ctx)
	env.Clock.Advance(6 * time.Minute)
	if _, _, err := env.Svc.FinishPasskeyLogin(ctx, "1.1.1.1", late.Handle, []byte(`{}`)); app.AsError(err).Code != "passkey_expired" {
		t.Fatalf("expired challenge: %v", err)
	}
	// Failed passkey sign-ins are throttled per address like passwords.
	for range app.LoginMaxPerIP {
		c, _ := env.Svc.BeginPasskeyLogin(ctx)
		env.Svc.FinishPasskeyLogin(ctx, "2.2.2.2", c.Handle, []byte(`{}`))
	}
	c, _ := env.Svc.BeginPasskeyLogin(ctx)
	if _, _, err := env.Svc.FinishPasskeyLogin(ctx, "2.2.2.2", c.Handle, []byte(`{}`)); app.ErrorKind(err) != app.KindRateLimited {
		t.Fatalf("after %d failures: %v", app.LoginMaxPerIP, err)
	}
}
