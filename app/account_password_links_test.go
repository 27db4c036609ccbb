package app_test

import (
	"context"
	"testing"
	"time"

	"optare/app"
	"optare/app/apptest"
)

func TestInvitationLink(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	env.Operator(t)
	admin := env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)

	user, link, err := env.Svc.InviteUser(ctx, admin.Actor("1.1.1.1"), app.InviteInput{Email: "new@acme.test", Name: "Newt", OrgRef: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Login(ctx, "1.1.1.1", "new@acme.test", ""); app.ErrorKind(err) != app.KindInvalid {
		t.Fatalf("empty password: %v", err)
	}
	if _, err := env.Svc.Login(ctx, "1.1.1.1", "new@acme.test", "anything-at-all-12"); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("invited user signed in before choosing a password: %v", err)
	}
	got, purpose, err := env.Svc.CheckPasswordLink(ctx, link.Token)
	if err != nil || got.ID != user.ID || purpose != "invite" {
		t.Fatalf("CheckPasswordLink = %v %q %v", got.ID, purpose, err)
	}
	if _, err := env.Svc.UsePasswordLink(ctx, "1.1.1.1", link.Token, "short", "short"); app.ErrorKind(err) != app.KindInvalid {
		t.Fatalf("short password: %v", err)
	}
	acc, err := env.Svc.UsePasswordLink(ctx, "1.1.1.1", link.Token, "my-chosen-password", "my-chosen-password")
	if err != nil || acc.User.ID != user.ID || !acc.User.EmailVerified {
		t.Fatalf("UsePasswordLink = %+v, %v", acc.User, err)
	}
	if _, err := env.Svc.UsePasswordLink(ctx, "1.1.1.1", link.Token, "my-chosen-password", "my-chosen-password"); app.AsError(err).Code != "invalid_link" {
		t.Fatalf("link reused: %v", err)
	}
	if _, err := env.Svc.Login(ctx, "1.1.1.1", "new@acme.test", "my-chosen-password"); err != nil {
		t.Fatalf("login after invite: %v", err)
	}
}

func TestResetLink(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	env.Operator(t)
	member := env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	outsider := env.Customer(t, "globex", "g@globex.test", app.RoleAdmin)
	if _, err := env.Svc.PasswordResetLink(ctx, outsider.Actor(""), member.User.ID); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("other org's admin: %v", err)
	}
	if _, err := env.Svc.PasswordResetLink(ctx, member.Actor(""), member.User.ID); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("member resetting themselves: %v", err)
	}
	link, err := env.Svc.PasswordResetLink(ctx, app.CLI(), member.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(app.ResetLinkLifetime + time.Minute)
	if _, _, err := env.Svc.CheckPasswordLink(ctx, link.Token); app.AsError(err).Code != "invalid_link" {
		t.Fatalf("expired link: %v", err)
	}
	link, _ = env.Svc.PasswordResetLink(ctx, app.CLI(), member.User.ID)
	if _, err := env.Svc.UsePasswordLink(ctx, "1.1.1.1", link.Token, "reset-password-ok", "reset-password-ok"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Login(ctx, "1.1.1.1", "m@acme.test", apptest.Password); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("old password still works: %v", err)
	}
}
