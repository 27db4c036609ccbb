package oauth_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"optare/app"
	"optare/app/apptest"
	"optare/app/oidc"
	"optare/store"
	"optare/store/pgtest"
)

// TestCopyToPostgresKeepsTokens moves a live SQLite database that served a
// real code flow into PostgreSQL (optare db copy) and checks that the copy
// answers introspection of the same tokens exactly as the original did,
// and that a revoked token stays revoked.
func TestCopyToPostgresKeepsTokens(t *testing.T) {
	if apptest.Postgres() {
		t.Skip("the copy starts from SQLite: runs in the SQLite pass")
	}
	if why := pgtest.Missing(); why != "" {
		if pgtest.Required() {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	f := newFixture(t, app.ClientInput{})
	ctx := context.Background()
	live, revoked := f.tokens(), f.tokens()
	auth := oidc.ClientAuth{ClientID: f.client.ClientID, ClientSecret: f.client.ClientSecret, AuthMethod: "client_secret_post"}
	if err := f.env.Svc.Revoke(ctx, auth, revoked.RefreshToken, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	introspect := func(svc *app.Service) []app.Introspection {
		var out []app.Introspection
		for _, tok := range []string{live.AccessToken, live.RefreshToken, revoked.AccessToken, revoked.RefreshToken} {
			in, err := svc.Introspect(ctx, auth, tok, "127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, in)
		}
		return out
	}
	before := introspect(f.env.Svc)
	if !before[0].Active || before[2].Active {
		t.Fatalf("before the copy: %+v", before)
	}

	to := pgtest.Empty(t)
	tables, err := app.CopyDatabase(ctx, f.env.Path, to) // the server is still running on it
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 10 {
		t.Errorf("copied %d tables", len(tables))
	}
	db, err := store.Open(ctx, to, store.Options{Now: f.env.Clock.Now, EncryptionKey: apptest.EncryptionKey})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, err := app.New(db, app.Options{Now: f.env.Clock.Now, Issuer: f.ts.URL, Password: apptest.FastPassword,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, introspect(svc)); diff != "" {
		t.Errorf("introspection on the copy differs (-sqlite +postgres):\n%s", diff)
	}
	if _, err := app.CopyDatabase(ctx, f.env.Path, to); err == nil {
		t.Error("a second copy into the now non-empty database was accepted")
	}
}
