package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"optare/app"
	"optare/app/apptest"
)

func TestSetupValidation(t *testing.T) {
	good := app.SetupInput{OrgName: "Ops", Name: "Ada", Email: "ada@example.com", Password: apptest.Password, PasswordConfirm: apptest.Password}
	tests := []struct {
		name      string
		change    func(*app.SetupInput)
		wantKind  app.Kind
		wantField string
	}{
		{"empty org", func(in *app.SetupInput) { in.OrgName = " " }, app.KindInvalid, "org_name"},
		{"empty name", func(in *app.SetupInput) { in.Name = "" }, app.KindInvalid, "name"},
		{"bad email", func(in *app.SetupInput) { in.Email = "not-an-email" }, app.KindInvalid, "email"},
		{"email with display name", func(in *app.SetupInput) { in.Email = "Ada <ada@example.com>" }, app.KindInvalid, "email"},
		{"short password", func(in *app.SetupInput) { in.Password, in.PasswordConfirm = "short", "short" }, app.KindInvalid, "password"},
		{"mismatch", func(in *app.SetupInput) { in.PasswordConfirm = "something-else-entirely" }, app.KindInvalid, "password_confirm"},
		{"long name", func(in *app.SetupInput) { in.Name = strings.Repeat("x", 101) }, app.KindInvalid, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := apptest.New(t)
			in := good
			tt.change(&in)
			_, err := env.Svc.Setup(context.Background(), app.CLI(), in)
			e := app.AsError(err)
			if err == nil || e.Kind != tt.wantKind || e.Fields[tt.wantField] == "" {
				t.Fatalf("Setup = %v (fields %v), want %v on %q", err, e.Fields, tt.wantKind, tt.wantField)
			}
			if needed, _ := env.Svc.SetupNeeded(context.Background()); !needed {
				t.Fatal("a refused setup left state behind")
			}
		})
	}
}

func TestSetupHappensOnce(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	token, err := env.Svc.NewSetupLink(ctx)
	if err != nil || token == "" {
		t.Fatalf("NewSetupLink = %q, %v", token, err)
	}
	in := app.SetupInput{Token: "wrong", OrgName: "Ops", Name: "Ada", Email: "ada@example.com", Password: apptest.Password, PasswordConfirm: apptest.Password}
	if _, err := env.Svc.Setup(ctx, app.Anonymous("1.2.3.4"), in); app.AsError(err).Code != "setup_token" {
		t.Fatalf("wrong token: %v", err)
	}
	in.Token = token
	acc, err := env.Svc.Setup(ctx, app.Anonymous("1.2.3.4"), in)
	if err != nil {
		t.Fatal(err)
	}
	if !acc.Operator || acc.Role != app.RoleOwner || !acc.IsOperatorAdmin() {
		t.Errorf("account = %+v, want operator owner", acc)
	}
	if _, err := env.Svc.Setup(ctx, app.Anonymous("1.2.3.4"), in); app.AsError(err).Code != "setup_done" {
		t.Fatalf("second setup: %v, want setup_done", err)
	}
	if _, err := env.Svc.Setup(ctx, app.CLI(), in); app.AsError(err).Code != "setup_done" {
		t.Fatalf("second setup by CLI: %v, want setup_done", err)
	}
	if token, _ := env.Svc.NewSetupLink(ctx); token != "" {
		t.Error("a setup link was issued after setup")
	}
	if err := env.Svc.CheckSetupToken(ctx, token); app.AsError(err).Code != "setup_done" {
		t.Errorf("CheckSetupToken after setup = %v", err)
	}
}

func TestSetupLinkExpires(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	token, _ := env.Svc.NewSetupLink(ctx)
	env.Clock.Advance(25 * time.Hour)
	if err := env.Svc.CheckSetupToken(ctx, token); app.AsError(err).Code != "setup_token" {
		t.Fatalf("expired link: %v", err)
	}
}

func TestLoginSameAnswerForEveryFailure(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	env.Operator(t)
	member := env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	if err := env.Svc.SetUserDisabled(ctx, app.CLI(), member.User.ID, true); err != nil {
		t.Fatal(err)
	}
	cases := map[string][2]string{
		"wrong password": {"owner@example.com", "wrong-password-123"},
		"unknown email":  {"nobody@example.com", apptest.Password},
		"disabled":       {"m@acme.test", apptest.Password},
	}
	var msgs []string
	for name, c := range cases {
		_, err := env.Svc.Login(ctx, "10.0.0.1", c[0], c[1])
		e := app.AsError(err)
		if e.Kind != app.KindUnauthenticated {
			t.Fatalf("%s: %v", name, err)
		}
		msgs = append(msgs, e.Message)
	}
	if msgs[0] != msgs[1] || msgs[1] != msgs[2] {
		t.Errorf("messages differ: %q", msgs)
	}
	acc, err := env.Svc.Login(ctx, "10.0.0.1", "OWNER@example.com", apptest.Password)
	if err != nil || !acc.Operator {
		t.Fatalf("login with other-case email: %+v, %v", acc, err)
	}
	page, err := env.Svc.ListAudit(ctx, app.CLI(), app.AuditQuery{Action: "auth.login"})
	if err != nil {
		t.Fatal(err)
	}
	var ok, failed int
	for _, e := range page.Entries {
		if e.Outcome == app.OutcomeSuccess {
			ok++
		} else {
			failed++
		}
	}
	if ok != 1 || failed != 3 {
		t.Errorf("audit: %d successes, %d failures; want 1 and 3", ok, failed)
	}
}

func TestLoginThrottling(t *testing.T) {
	ctx := context.Background()
	t.Run("per account", func(t *testing.T) {
		env := apptest.New(t)
		env.Operator(t)
		for i := range app.LoginMaxPerAccount {
			if _, err := env.Svc.Login(ctx, "10.0.0."+string(rune('1'+i)), "owner@example.com", "wrong-password-123"); app.ErrorKind(err) != app.KindUnauthenticated {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		// Even the right password is refused while the account is locked.
		_, err := env.Svc.Login(ctx, "10.0.1.1", "owner@example.com", apptest.Password)
		if e := app.AsError(err); e.Kind != app.KindRateLimited || !strings.Contains(e.Message, "Try again") {
			t.Fatalf("locked account: %v", err)
		}
		env.Clock.Advance(app.LoginWindow + time.Second)
		if _, err := env.Svc.Login(ctx, "10.0.1.1", "owner@example.com", apptest.Password); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
	t.Run("per IP for unknown emails only", func(t *testing.T) {
		env := apptest.New(t)
		env.Operator(t)
		for i := range app.LoginMaxPerIP {
			email := "nobody" + string(rune('a'+i)) + "@example.com"
			if _, err := env.Svc.Login(ctx, "10.9.9.9", email, "wrong-password-123"); app.ErrorKind(err) != app.KindUnauthenticated {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		// Further unknown emails from that address are throttled...
		if _, err := env.Svc.Login(ctx, "10.9.9.9", "nobody-else@example.com", "wrong-password-123"); app.ErrorKind(err) != app.KindRateLimited {
			t.Fatalf("throttled IP, unknown email: %v", err)
		}
		// ...but a real account signs in from the same address.
		if _, err := env.Svc.Login(ctx, "10.9.9.9", "owner@example.com", apptest.Password); err != nil {
			t.Fatalf("real account behind a throttled address: %v", err)
		}
	})
	t.Run("failures on A do not lock out B", func(t *testing.T) {
		env := apptest.New(t)
		env.Operator(t)
		env.Customer(t, "acme", "b@acme.test", app.RoleMember)
		for i := range 20 {
			if _, err := env.Svc.Login(ctx, "10.7.7.7", "owner@example.com", "wrong-password-123"); app.ErrorKind(err) == app.KindInternal || err == nil {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, err := env.Svc.Login(ctx, "10.7.7.7", "b@acme.test", apptest.Password); err != nil {
			t.Fatalf("B after 20 bad logins for A from the same address: %v", err)
		}
		if _, err := env.Svc.Login(ctx, "10.7.7.7", "owner@example.com", apptest.Password); app.ErrorKind(err) != app.KindRateLimited {
			t.Fatalf("A itself is under attack and stays locked: %v", err)
		}
	})
	t.Run("success resets the account count", func(t *testing.T) {
		env := apptest.New(t)
		env.Operator(t)
		for range app.LoginMaxPerAccount - 1 {
			env.Svc.Login(ctx, "10.0.0.1", "owner@example.com", "wrong-password-123")
		}
		if _, err := env.Svc.Login(ctx, "10.0.0.1", "owner@example.com", apptest.Password); err != nil {
			t.Fatal(err)
		}
		env.Clock.Advance(time.Second)
		for range app.LoginMaxPerAccount - 1 {
			env.Svc.Login(ctx, "10.0.0.1", "owner@example.com", "wrong-password-123")
		}
		if _, err := env.Svc.Login(ctx, "10.0.0.1", "owner@example.com", apptest.Password); err != nil {
			t.Fatalf("failures before a success counted: %v", err)
		}
	})
}

func TestSessionVersion(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	owner := env.Operator(t)
	v := owner.User.SessionVersion
	sid, err := env.Svc.OpenSession(ctx, owner, "1.1.1.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.SessionAccount(ctx, owner.User.ID, v, sid); err != nil {
		t.Fatal(err)
	}
	if err := env.Svc.SetPassword(ctx, owner.Actor("1.1.1.1"), owner.User.ID, "another-long-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.SessionAccount(ctx, owner.User.ID, v, sid); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("old session after password change: %v", err)
	}
	acc, err := env.Svc.Login(ctx, "1.1.1.1", "owner@example.com", "another-long-password")
	if err != nil {
		t.Fatalf("new password: %v", err)
	}
	sid2, _ := env.Svc.OpenSession(ctx, acc, "1.1.1.1", "test")
	if err := env.Svc.SignOutEverywhere(ctx, acc.Actor(""), owner.User.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.SessionAccount(ctx, owner.User.ID, acc.User.SessionVersion, sid2); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("session after sign-out-everywhere: %v", err)
	}
}

func TestSessionsListAndEnd(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	owner := env.Operator(t)
	a, _ := env.Svc.OpenSession(ctx, owner, "1.1.1.1", "Firefox")
	b, _ := env.Svc.OpenSession(ctx, owner, "2.2.2.2", "Chrome")
	c, _ := env.Svc.OpenSession(ctx, owner, "3.3.3.3", "Safari")
	list, err := env.Svc.ListSessions(ctx, owner.Actor(""), owner.User.ID)
	if err != nil || len(list) != 3 {
		t.Fatalf("ListSessions = %d, %v", len(list), err)
	}
	if err := env.Svc.EndSession(ctx, owner.Actor(""), b); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.SessionAccount(ctx, owner.User.ID, owner.User.SessionVersion, b); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("ended session still works: %v", err)
	}
	if n, err := env.Svc.EndOtherSessions(ctx, owner.Actor(""), a); err != nil || n != 1 {
		t.Fatalf("EndOtherSessions = %d, %v", n, err)
	}
	if _, err := env.Svc.SessionAccount(ctx, owner.User.ID, owner.User.SessionVersion, c); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatal("other session survived")
	}
	if _, err := env.Svc.SessionAccount(ctx, owner.User.ID, owner.User.SessionVersion, a); err != nil {
		t.Fatalf("kept session ended: %v", err)
	}
	other := env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	if err := env.Svc.EndSession(ctx, other.Actor(""), a); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("ending someone else's session: %v", err)
	}
	env.Clock.Advance(app.SessionLifetime + time.Minute)
	if err := env.Svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if list, _ := env.Svc.ListSessions(ctx, owner.Actor(""), owner.User.ID); len(list) != 0 {
		t.Errorf("%d sessions after their lifetime", len(list))
	}
}

func TestChangeOwnPassword(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	owner := env.Operator(t)
	tests := []struct {
		name, current, password, confirm, field string
	}{
		{"wrong current", "not-my-password", "brand-new-password", "brand-new-password", "current_password"},
		{"missing current", "", "brand-new-password", "brand-new-password", "current_password"},
		{"short", apptest.Password, "short", "short", "password"},
		{"mismatch", apptest.Password, "brand-new-password", "brand-new-passwordX", "password_confirm"},
	}
	for _, tt := range tests {
		err := env.Svc.ChangeOwnPassword(ctx, owner.Actor(""), tt.current, tt.password, tt.confirm)
		if e := app.AsError(err); e.Kind != app.KindInvalid || e.Fields[tt.field] == "" {
			t.Errorf("%s: %v (fields %v)", tt.name, err, e.Fields)
		}
	}
	if err := env.Svc.ChangeOwnPassword(ctx, owner.Actor(""), apptest.Password, "brand-new-password", "brand-new-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Login(ctx, "1.1.1.1", "owner@example.com", "brand-new-password"); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
}

// TestCreateUserRules: CreateUser and InviteUser (the same rules, with and
// without a password) refuse the same inputs and actors with the same kinds.
func TestCreateUserRules(t *testing.T) {
	ctx := context.Background()
	doors := map[string]func(env *apptest.Env, a app.Actor, in app.UserInput) error{
		"create": func(env *apptest.Env, a app.Actor, in app.UserInput) error {
			_, err := env.Svc.CreateUser(ctx, a, in)
			return err
		},
		"invite": func(env *apptest.Env, a app.Actor, in app.UserInput) error {
			_, _, err := env.Svc.InviteUser(ctx, a, app.InviteInput{Email: in.Email, Name: in.Name, OrgRef: in.OrgRef, Role: in.Role})
			return err
		},
	}
	for door, add := range doors {
		env := apptest.New(t)
		env.Operator(t)
		admin := env.Customer(t, "acme", "admin@acme.test", app.RoleAdmin)
		member := env.Customer(t, "acme", "member@acme.test", app.RoleMember)
		env.Customer(t, "globex", "g@globex.test", app.RoleOwner)
		tests := []struct {
			name      string
			actor     app.Actor
			in        app.UserInput
			wantKind  app.Kind
			wantField string
		}{
			{"ok by org admin", admin.Actor(""), app.UserInput{Email: "new@acme.test", Name: "New", OrgRef: "acme", Role: "member", Password: apptest.Password}, 0, ""},
			{"duplicate email any case", app.CLI(), app.UserInput{Email: "NEW@acme.test", Name: "Dup", OrgRef: "acme", Password: apptest.Password}, app.KindConflict, "email"},
			{"bad role", app.CLI(), app.UserInput{Email: "r@acme.test", Name: "R", OrgRef: "acme", Role: "boss", Password: apptest.Password}, app.KindInvalid, "role"},
			{"no org", app.CLI(), app.UserInput{Email: "r@acme.test", Name: "R", Password: apptest.Password}, app.KindInvalid, "organization_id"},
			{"unknown org", app.CLI(), app.UserInput{Email: "r@acme.test", Name: "R", OrgRef: "nope", Password: apptest.Password}, app.KindNotFound, ""},
			{"other org's admin", admin.Actor(""), app.UserInput{Email: "x@globex.test", Name: "X", OrgRef: "globex", Password: apptest.Password}, app.KindNotFound, ""},
			{"plain member", member.Actor(""), app.UserInput{Email: "m@acme.test", Name: "M", OrgRef: "acme", Password: apptest.Password}, app.KindForbidden, ""},
			{"admin cannot make owners", admin.Actor(""), app.UserInput{Email: "o@acme.test", Name: "O", OrgRef: "acme", Role: "owner", Password: apptest.Password}, app.KindForbidden, ""},
		}
		for _, tt := range tests {
			t.Run(door+"/"+tt.name, func(t *testing.T) {
				err := add(env, tt.actor, tt.in)
				if tt.wantKind == 0 {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				e := app.AsError(err)
				if err == nil || e.Kind != tt.wantKind || (tt.wantField != "" && e.Fields[tt.wantField] == "") {
					t.Fatalf("%s = %v (fields %v), want %v on %q", door, err, e.Fields, tt.wantKind, tt.wantField)
				}
			})
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{"Acme Corp": "acme-corp", "  Über--Tech! ": "ber-tech", "ACME 2": "acme-2", "!!!": ""} {
		if got := app.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUserChangesOneAuditEntry: disabling or setting a password writes the
// same audit action whether it comes as a PATCH (UpdateUser) or through the
// portal's and CLI's narrower calls.
func TestUserChangesOneAuditEntry(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	env.Operator(t)
	m := env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	off, pw := true, "patched-password-1"
	steps := []struct {
		do   func() error
		want string
	}{
		{func() error {
			_, err := env.Svc.UpdateUser(ctx, app.CLI(), m.User.ID, app.UserPatch{Disabled: &off})
			return err
		}, "user.disabled"},
		{func() error { return env.Svc.SetUserDisabled(ctx, app.CLI(), m.User.ID, false) }, "user.enabled"},
		{func() error { return env.Svc.SetUserDisabled(ctx, app.CLI(), m.User.ID, true) }, "user.disabled"},
		{func() error {
			_, err := env.Svc.UpdateUser(ctx, app.CLI(), m.User.ID, app.UserPatch{Password: &pw})
			return err
		}, "user.password_changed"},
		{func() error { return env.Svc.SetPassword(ctx, app.CLI(), m.User.ID, pw) }, "user.password_changed"},
	}
	for i, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		page, err := env.Svc.ListAudit(ctx, app.CLI(), app.AuditQuery{Limit: 1})
		if err != nil || len(page.Entries) != 1 || page.Entries[0].Action != st.want {
			t.Fatalf("step %d: audit %+v %v, want %s", i, page.Entries, err, st.want)
		}
	}
	if err := env.Svc.SetUserDisabled(ctx, m.Actor(""), m.User.ID, true); app.AsError(err).Code != "self_disable" {
		t.Fatalf("self disable: %v", err)
	}
}
