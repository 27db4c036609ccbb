package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"image/png"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	_ "modernc.org/sqlite"

	"optare/app"
	"optare/app/apptest"
	"optare/store"
)

// enrolTOTP sets up an authenticator app for acc and returns its secret and
// recovery codes.
func enrolTOTP(t *testing.T, env *apptest.Env, acc app.Account) (string, []string) {
	t.Helper()
	ctx := context.Background()
	setup, err := env.Svc.BeginTOTPSetup(ctx, acc.Actor("1.1.1.1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(setup.QRPNG)); err != nil {
		t.Fatalf("QR code is not a PNG: %v", err)
	}
	code, _ := totp.GenerateCode(setup.Secret, env.Clock.Now())
	codes, err := env.Svc.ConfirmTOTP(ctx, acc.Actor("1.1.1.1"), code)
	if err != nil {
		t.Fatal(err)
	}
	return setup.Secret, codes
}

func TestTOTPSignIn(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	env.Operator(t)
	acc := env.Customer(t, "acme", "ada@acme.test", app.RoleMember)

	setup, err := env.Svc.BeginTOTPSetup(ctx, acc.Actor("1.1.1.1"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := env.Svc.BeginTOTPSetup(ctx, acc.Actor("1.1.1.1"))
	if err != nil || again.Secret != setup.Secret {
		t.Fatalf("set-up page reloaded: secret changed or %v", err)
	}
	if _, err := env.Svc.ConfirmTOTP(ctx, acc.Actor("1.1.1.1"), "000000"); app.ErrorKind(err) != app.KindInvalid {
		t.Fatalf("wrong confirmation code: %v", err)
	}
	code, _ := totp.GenerateCode(setup.Secret, env.Clock.Now())
	codes, err := env.Svc.ConfirmTOTP(ctx, acc.Actor("1.1.1.1"), code)
	if err != nil || len(codes) != 10 {
		t.Fatalf("ConfirmTOTP = %d codes, %v", len(codes), err)
	}
	if _, err := env.Svc.BeginTOTPSetup(ctx, acc.Actor("1.1.1.1")); app.AsError(err).Code != "totp_exists" {
		t.Fatalf("second set-up: %v", err)
	}
	if a, _ := env.Svc.AccountByID(ctx, acc.User.ID); !a.HasSecondFactor {
		t.Fatal("account does not show the second factor")
	}

	// The code used to confirm is spent; the next time step's code works
	// once; a replay is refused.
	if _, _, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorTOTP, code); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("confirmation code reused: %v", err)
	}
	env.Clock.Advance(30 * time.Second)
	code, _ = totp.GenerateCode(setup.Secret, env.Clock.Now())
	got, amr, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorTOTP, code[:3]+" "+code[3:])
	if err != nil || got.User.ID != acc.User.ID {
		t.Fatalf("VerifySecondFactor = %v, %v", got.User.ID, err)
	}
	if want := []string{"pwd", "otp", "mfa"}; len(amr) != 3 || amr[0] != want[0] || amr[2] != want[2] {
		t.Fatalf("amr = %v", amr)
	}
	if _, _, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorTOTP, code); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("replayed code: %v", err)
	}
	// One step of drift either way; two is too many.
	env.Clock.Advance(90 * time.Second)
	early, _ := totp.GenerateCode(setup.Secret, env.Clock.Now().Add(30*time.Second))
	if _, _, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorTOTP, early); err != nil {
		t.Fatalf("code one step ahead: %v", err)
	}
	env.Clock.Advance(5 * time.Minute)
	late, _ := totp.GenerateCode(setup.Secret, env.Clock.Now().Add(-60*time.Second))
	if _, _, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorTOTP, late); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("code two steps old: %v", err)
	}

	// A recovery code works once, typed any way.
	if _, _, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorRecovery, codes[0]); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	if _, _, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorRecovery, codes[0]); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("recovery code reused: %v", err)
	}
	upper := []byte(codes[1])
	for i, c := range upper {
		if c >= 'a' && c <= 'z' {
			upper[i] = c - 'a' + 'A'
		}
	}
	if _, _, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorRecovery, string(upper)); err != nil {
		t.Fatalf("recovery code in capitals: %v", err)
	}
	st, err := env.Svc.MFAStatus(ctx, acc.Actor(""), acc.User.ID)
	if err != nil || !st.TOTP || st.RecoveryLeft != 8 {
		t.Fatalf("MFAStatus = %+v, %v", st, err)
	}
	// New codes replace the old ones.
	fresh, err := env.Svc.RegenerateRecoveryCodes(ctx, acc.Actor("1.1.1.1"))
	if err != nil || len(fresh) != 10 {
		t.Fatal(err)
	}
	if _, _, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorRecovery, codes[2]); app.ErrorKind(err) != app.KindUnauthenticated {
		t.Fatalf("old recovery code after regenerating: %v", err)
	}

	// Every step is in the audit log.
	page, err := env.Svc.ListAudit(ctx, app.CLI(), app.AuditQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range page.Entries {
		seen[e.Action+"/"+e.Outcome]++
	}
	for _, want := range []string{"mfa.totp_enrolled/success", "mfa.recovery_code_used/success", "auth.second_factor/failure",
		"auth.second_factor/success", "mfa.recovery_codes_regenerated/success"} {
		if seen[want] == 0 {
			t.Errorf("no %s audit entry (have %v)", want, seen)
		}
	}

	if err := env.Svc.RemoveTOTP(ctx, acc.Actor("1.1.1.1")); err != nil {
		t.Fatal(err)
	}
	if st, _ := env.Svc.MFAStatus(ctx, acc.Actor(""), acc.User.ID); st.TOTP || st.RecoveryLeft != 0 {
		t.Fatalf("after removal: %+v", st)
	}
}

func TestTOTPSecretSealedAtRest(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	acc := env.Customer(t, "acme", "ada@acme.test", app.RoleMember)
	secret, _ := enrolTOTP(t, env, acc)
	// Read the row behind the store's back, with the engine's own driver.
	driver, query := "sqlite", "SELECT secret_sealed FROM user_totp WHERE user_id = ?"
	if apptest.Postgres() {
		driver, query = "pgx", "SELECT secret_sealed FROM user_totp WHERE user_id = $1"
	}
	db, err := sql.Open(driver, env.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sealed []byte
	if err := db.QueryRow(query, acc.User.ID).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte(secret)) || len(sealed) < len(secret)+28 {
		t.Fatalf("secret stored in the clear: %q", sealed)
	}
}

func TestSecondFactorThrottled(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	env.Operator(t)
	acc := env.Customer(t, "acme", "ada@acme.test", app.RoleMember)
	secret, _ := enrolTOTP(t, env, acc)
	for i := range app.LoginMaxPerAccount {
		if _, _, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorTOTP, "123456"); app.ErrorKind(err) != app.KindUnauthenticated {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	env.Clock.Advance(30 * time.Second)
	good, _ := totp.GenerateCode(secret, env.Clock.Now())
	if _, _, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorTOTP, good); app.ErrorKind(err) != app.KindRateLimited {
		t.Fatalf("after %d failures a right code: %v", app.LoginMaxPerAccount, err)
	}
	env.Clock.Advance(app.LoginWindow)
	good, _ = totp.GenerateCode(secret, env.Clock.Now())
	if _, _, err := env.Svc.VerifySecondFactor(ctx, "1.1.1.1", acc.User.ID, app.FactorTOTP, good); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestMFAPolicy(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	op := env.Operator(t)
	owner := env.Customer(t, "acme", "owner@acme.test", app.RoleOwner)
	member := env.Customer(t, "acme", "member@acme.test", app.RoleMember)
	other := env.Customer(t, "globex", "owner@globex.test", app.RoleOwner)

	if _, err := env.Svc.SetOrgMFARequired(ctx, member.Actor(""), "acme", true); app.ErrorKind(err) != app.KindForbidden {
		t.Fatalf("member sets policy: %v", err)
	}
	if _, err := env.Svc.SetOrgMFARequired(ctx, other.Actor(""), "acme", true); app.ErrorKind(err) != app.KindForbidden {
		t.Fatalf("another organization's owner sets policy: %v", err)
	}
	if _, err := env.Svc.SetOrgMFARequired(ctx, owner.Actor(""), "acme", true); err != nil {
		t.Fatalf("owner: %v", err)
	}
	if _, err := env.Svc.SetOrgMFARequired(ctx, op.Actor(""), "globex", true); err != nil {
		t.Fatalf("operator: %v", err)
	}
	m, _ := env.Svc.AccountByID(ctx, member.User.ID)
	if !m.NeedsMFASetup() {
		t.Fatal("member of an MFA organization without a factor is not sent to set-up")
	}
	enrolTOTP(t, env, m)
	if m, _ = env.Svc.AccountByID(ctx, member.User.ID); m.NeedsMFASetup() {
		t.Fatal("still needs set-up after enrolling")
	}
	if err := env.Svc.RemoveTOTP(ctx, m.Actor("")); app.AsError(err).Code != "mfa_required" {
		t.Fatalf("removing the only factor under the policy: %v", err)
	}
}

func TestWrongKeyRefused(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	acc := env.Customer(t, "acme", "ada@acme.test", app.RoleMember)
	if err := env.Svc.CheckSealer(context.Background()); err != nil {
		t.Fatal(err)
	}
	enrolTOTP(t, env, acc)
	if err := env.Svc.CheckSealer(context.Background()); err != nil {
		t.Fatalf("right key: %v", err)
	}
	// The same database opened with another key: refused at open (the
	// signing keys) or by CheckSealer (the authenticator-app secrets).
	db, err := store.Open(context.Background(), env.Path, store.Options{EncryptionKey: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		return
	}
	defer db.Close()
	svc, err := app.New(db, app.Options{Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.CheckSealer(context.Background()); err == nil {
		t.Fatal("a wrong key-encryption key was accepted")
	}
}
