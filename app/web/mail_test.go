package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"

	"optare/app"
	"optare/app/apptest"
	"optare/views"
)

// followLink opens a one-time password link from an email in b, chooses
// password and lands signed in.
func followLink(t *testing.T, b *apptest.Browser, link, password string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("link %q", link)
	}
	res, body := b.Get(u.RequestURI())
	if res.StatusCode != http.StatusOK || apptest.Find(t, body, apptest.ByID(views.PasswordLinkFormID)) == nil {
		t.Fatalf("link page: %d", res.StatusCode)
	}
	res, _ = b.PostForm("/password", url.Values{"token": {u.Query().Get("token")}, "password": {password}, "password_confirm": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("choose password: %d", res.StatusCode)
	}
}

func TestInvitationAndResetByEmail(t *testing.T) {
	mb := apptest.NewMailbox(t)
	env := apptest.New(t, apptest.WithMailer(mb.Mailer))
	env.Operator(t)
	env.Customer(t, "acme", "owner@acme.test", app.RoleOwner)
	ts := env.Server(t)

	// An owner invites a member; the invitation arrives by email.
	owner := apptest.NewBrowser(t, ts)
	owner.Login("owner@acme.test")
	res, body := owner.PostForm("/portal/members", url.Values{"email": {"new@acme.test"}, "name": {"Nell New"}, "role": {"member"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "We emailed this link") {
		t.Fatalf("invite: %d", res.StatusCode)
	}
	m := mb.Next()
	if m.To != "new@acme.test" || !strings.Contains(m.Subject, "acme") || !strings.Contains(m.HTML, "<a href=") || m.From != "id@example.com" {
		t.Fatalf("invitation mail %+v", m)
	}
	invitee := apptest.NewBrowser(t, ts)
	followLink(t, invitee, m.Link(), "nells-own-password")
	if res, _ := invitee.Get("/portal/account"); res.StatusCode != http.StatusOK {
		t.Fatalf("invitee not signed in: %d", res.StatusCode)
	}

	// Forgot password? appears with mail, and answers the same for any address.
	anon := apptest.NewBrowser(t, ts)
	_, body = anon.Get("/login")
	if !strings.Contains(body, "Forgot password?") {
		t.Fatal("no \"Forgot password?\" on the login page")
	}
	res, unknown := anon.PostForm("/password/forgot", url.Values{"email": {"nobody@acme.test"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(unknown, `id="reset-sent"`) {
		t.Fatalf("unknown address: %d", res.StatusCode)
	}
	if !mb.Empty() {
		t.Fatal("mail sent for an unknown address")
	}
	res, known := anon.PostForm("/password/forgot", url.Values{"email": {"new@acme.test"}})
	if res.StatusCode != http.StatusOK || known != unknown {
		t.Fatalf("known address answered differently: %d", res.StatusCode)
	}
	m = mb.Next()
	if m.To != "new@acme.test" || !strings.Contains(m.Text, "reset the password") {
		t.Fatalf("reset mail %+v", m)
	}
	followLink(t, anon, m.Link(), "nells-newer-password")
	if _, err := env.Svc.Login(t.Context(), "1.1.1.1", "new@acme.test", "nells-newer-password"); err != nil {
		t.Fatalf("sign in with the new password: %v", err)
	}

	// A change to the sign-in sends a notice.
	setup, err := env.Svc.BeginTOTPSetup(t.Context(), app.Actor{Kind: app.ActorUser, ID: userID(t, env, "new@acme.test"), Label: "new@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(setup.Secret, env.Clock.Now())
	if _, err := env.Svc.ConfirmTOTP(t.Context(), app.Actor{Kind: app.ActorUser, ID: userID(t, env, "new@acme.test")}, code); err != nil {
		t.Fatal(err)
	}
	if m := mb.Next(); m.To != "new@acme.test" || !strings.Contains(m.Subject, "authenticator app") {
		t.Fatalf("notice %+v", m)
	}

	// Requests are throttled per address.
	for range app.ResetMaxPerIP {
		anon.PostForm("/password/forgot", url.Values{"email": {"nobody@acme.test"}})
	}
	if res, _ := anon.PostForm("/password/forgot", url.Values{"email": {"nobody@acme.test"}}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after %d requests: %d", app.ResetMaxPerIP, res.StatusCode)
	}
}

func TestNoMailNoForgotPassword(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	if _, body := b.Get("/login"); strings.Contains(body, "Forgot password?") {
		t.Fatal("\"Forgot password?\" without a mail server")
	}
	if res, _ := b.Get("/password/forgot"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("forgot page without mail: %d", res.StatusCode)
	}
}

func userID(t *testing.T, env *apptest.Env, email string) string {
	t.Helper()
	page, err := env.Svc.ListUsers(t.Context(), app.CLI(), app.UserQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range page.Users {
		if u.Email == email {
			return u.ID
		}
	}
	t.Fatalf("no user %s", email)
	return ""
}

func TestEmailVerification(t *testing.T) {
	mb := apptest.NewMailbox(t)
	env := apptest.New(t, apptest.WithMailer(mb.Mailer))
	env.Operator(t)
	acc := env.Customer(t, "acme", "m@acme.test", app.RoleMember)
	if acc.User.EmailVerified {
		t.Fatal("created user starts verified")
	}
	ts := env.Server(t)
	b := apptest.NewBrowser(t, ts)
	b.Login("m@acme.test")
	if _, body := b.Get("/portal/account"); !strings.Contains(body, "Send a verification email") {
		t.Fatal("no verification button")
	}
	if res, _ := b.PostForm("/portal/account/verify-email", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d", res.StatusCode)
	}
	m := mb.Next()
	u, err := url.Parse(m.Link())
	if err != nil || m.To != "m@acme.test" || u.Path != "/verify-email" {
		t.Fatalf("verification mail %+v", m)
	}
	// Opening the link changes nothing; the button does.
	other := apptest.NewBrowser(t, ts)
	if res, body := other.Get(u.RequestURI()); res.StatusCode != http.StatusOK || !strings.Contains(body, "Verify my address") {
		t.Fatalf("link page: %d", res.StatusCode)
	}
	if a, _ := env.Svc.AccountByID(t.Context(), acc.User.ID); a.User.EmailVerified {
		t.Fatal("verified by a GET")
	}
	if res, _ := other.PostForm("/verify-email", url.Values{"token": {u.Query().Get("token")}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify: %d", res.StatusCode)
	}
	if a, _ := env.Svc.AccountByID(t.Context(), acc.User.ID); !a.User.EmailVerified {
		t.Fatal("not verified")
	}
	if res, _ := other.PostForm("/verify-email", url.Values{"token": {u.Query().Get("token")}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("link reused: %d", res.StatusCode)
	}
	if _, body := b.Get("/portal/account"); strings.Contains(body, "Send a verification email") {
		t.Fatal("button still shown after verification")
	}
}
