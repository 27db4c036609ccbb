package app_test

import (
	"context"
	"testing"

	"optare/app"
	"optare/app/apptest"
)

func TestMembers(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	env.Operator(t)
	owner := env.Customer(t, "acme", "owner@acme.test", app.RoleOwner)
	admin := env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)
	member := env.Customer(t, "acme", "member@acme.test", app.RoleMember)
	outsider := env.Customer(t, "globex", "boss@globex.test", app.RoleOwner)

	_, list, err := env.Svc.ListMembers(ctx, admin.Actor(""), "acme")
	if err != nil || len(list) != 3 {
		t.Fatalf("ListMembers = %d, %v", len(list), err)
	}
	tests := []struct {
		name     string
		do       func() error
		wantKind app.Kind
	}{
		{"member cannot list", func() error { _, _, err := env.Svc.ListMembers(ctx, member.Actor(""), "acme"); return err }, app.KindForbidden},
		{"outsider cannot see", func() error { _, _, err := env.Svc.ListMembers(ctx, outsider.Actor(""), "acme"); return err }, app.KindNotFound},
		{"outsider cannot change", func() error {
			return env.Svc.SetMemberRole(ctx, outsider.Actor(""), "acme", member.User.ID, app.RoleAdmin)
		}, app.KindNotFound},
		{"admin cannot make owners", func() error {
			return env.Svc.SetMemberRole(ctx, admin.Actor(""), "acme", member.User.ID, app.RoleOwner)
		}, app.KindForbidden},
		{"admin cannot demote the owner", func() error {
			return env.Svc.SetMemberRole(ctx, admin.Actor(""), "acme", owner.User.ID, app.RoleMember)
		}, app.KindForbidden},
		{"last owner cannot step down", func() error { return env.Svc.SetMemberRole(ctx, owner.Actor(""), "acme", owner.User.ID, app.RoleAdmin) }, app.KindConflict},
		{"bad role", func() error { return env.Svc.SetMemberRole(ctx, owner.Actor(""), "acme", member.User.ID, "boss") }, app.KindInvalid},
		{"no self removal", func() error { return env.Svc.RemoveMember(ctx, admin.Actor(""), "acme", admin.User.ID) }, app.KindInvalid},
		{"unknown member", func() error { return env.Svc.RemoveMember(ctx, admin.Actor(""), "acme", outsider.User.ID) }, app.KindNotFound},
		{"admin promotes member", func() error {
			return env.Svc.SetMemberRole(ctx, admin.Actor(""), "acme", member.User.ID, app.RoleAdmin)
		}, 0},
	}
	for _, tt := range tests {
		err := tt.do()
		if tt.wantKind == 0 {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if app.ErrorKind(err) != tt.wantKind {
			t.Errorf("%s: %v, want kind %v", tt.name, err, tt.wantKind)
		}
	}
	acc, _ := env.Svc.AccountByID(ctx, member.User.ID)
	if acc.Role != app.RoleAdmin {
		t.Errorf("role after promotion = %q", acc.Role)
	}

	// Removing a member from their only organization disables them and ends
	// their sessions.
	sid, _ := env.Svc.OpenSession(ctx, acc, "1.1.1.1", "x")
	if err := env.Svc.RemoveMember(ctx, owner.Actor(""), "acme", member.User.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.SessionAccount(ctx, member.User.ID, acc.User.SessionVersion, sid); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("removed member's session: %v", err)
	}
	if _, err := env.Svc.Login(ctx, "1.1.1.1", "member@acme.test", apptest.Password); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("removed member signs in: %v", err)
	}
	page, _ := env.Svc.ListAudit(ctx, app.CLI(), app.AuditQuery{Action: "membership."})
	if len(page.Entries) != 2 {
		t.Errorf("%d membership audit entries, want 2", len(page.Entries))
	}
}
