package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

// TestHotReadMatchesTheSingleReads reads every part of a hot request in one
// statement and compares each with what the package's own read of it
// gives, on this run's engine: the same client, API key, user, access
// rows, licence facts (newest subscription first) and token subject, a
// missing row as not found without hiding the others, and one round trip.
func TestHotReadMatchesTheSingleReads(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	err := db.Write(ctx, func(tx *Tx) error {
		now := tx.Now
		for _, err := range []error{
			tx.InsertOrganization(ctx, Organization{ID: "org_1", Slug: "acme", Name: "Acme", CreatedAt: now, UpdatedAt: now}),
			tx.InsertUser(ctx, User{ID: "user_1", Email: "a@b.c", EmailKey: "a@b.c", Name: "A", PrimaryOrgID: "org_1", SessionVersion: 3, CreatedAt: now, UpdatedAt: now}),
			tx.InsertMembership(ctx, Membership{OrgID: "org_1", UserID: "user_1", Role: "admin", CreatedAt: now}),
			tx.InsertClient(ctx, Client{ID: "cl_1", Name: "App", RedirectURIs: []string{"https://a.example/cb"}, AllowedOrigins: []string{"https://a.example"},
				AllowedScopes: []string{"openid"}, GrantTypes: []string{"authorization_code"}, Enabled: true, OrgID: "org_1", CreatedAt: now, UpdatedAt: now}),
			tx.InsertAPIKey(ctx, APIKey{ID: "key_1", SecretHash: "h", OrgID: "org_1", Name: "k", Environment: "live", CreatedBy: "user_1", CreatedAt: now}),
			tx.InsertProduct(ctx, Product{ID: "prod_1", Slug: "hot", Name: "Hot", Features: []string{"x"}, LicenseCheckIn: 3600, LeaseTTL: 60, CreatedAt: now, UpdatedAt: now}),
			tx.InsertProduct(ctx, Product{ID: "prod_2", Slug: "warm", Name: "Warm", Features: []string{}, LicenseCheckIn: 3600, LeaseTTL: 60, CreatedAt: now, UpdatedAt: now}),
			tx.InsertSubscription(ctx, Subscription{ID: "sub_old", OrgID: "org_1", ProductID: "prod_1", TotalSeats: 2, Currency: "EUR",
				BillingCycle: "monthly", Status: "cancelled", CreatedAt: now.Add(-time.Hour), UpdatedAt: now}),
			tx.InsertSubscription(ctx, Subscription{ID: "sub_new", OrgID: "org_1", ProductID: "prod_1", TotalSeats: 5, Currency: "EUR",
				BillingCycle: "monthly", Status: "active", AutoAssign: true, EndDate: now.Add(48 * time.Hour), CreatedAt: now, UpdatedAt: now}),
			tx.InsertSubscription(ctx, Subscription{ID: "sub_2", OrgID: "org_1", ProductID: "prod_2", TotalSeats: 1, Currency: "EUR",
				BillingCycle: "yearly", Status: "trial", CreatedAt: now, UpdatedAt: now}),
			tx.InsertSeat(ctx, "sub_new", "user_1"),
			tx.InsertGrant(ctx, Grant{ID: "gr_1", ClientID: "cl_1", UserID: "user_1", Scopes: "openid", AuthTime: now, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var client Client
	var key APIKey
	var user User
	var access []Access
	err = db.Read(ctx, func(tx *Tx) (err error) {
		if client, err = tx.Client(ctx, "cl_1"); err != nil {
			return err
		}
		if key, err = tx.APIKey(ctx, "key_1"); err != nil {
			return err
		}
		if user, err = tx.User(ctx, "user_1"); err != nil {
			return err
		}
		access, err = tx.AccessOfUser(ctx, "user_1")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(access) != 2 || access[0].Slug != "hot" || access[1].Slug != "warm" {
		t.Fatalf("access rows: %+v", access)
	}

	userToken := &TokenRef{UserID: "user_1", ClientID: "cl_1", GrantID: "gr_1", JTI: "jti_1"}
	q := HotQuery{ClientID: "cl_1", APIKeyID: "key_1", Token: userToken, UserInfoOf: "user_1"}
	f, err := db.HotRead(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !f.ClientFound || !reflect.DeepEqual(f.Client, client) {
		t.Errorf("client:\n%+v\nwant\n%+v", f.Client, client)
	}
	if !f.APIKeyFound || !reflect.DeepEqual(f.APIKey, key) {
		t.Errorf("API key:\n%+v\nwant\n%+v", f.APIKey, key)
	}
	if !f.UserFound || !reflect.DeepEqual(f.User, user) || !reflect.DeepEqual(f.Access, access) {
		t.Errorf("userinfo:\n%+v %+v\nwant\n%+v %+v", f.User, f.Access, user, access)
	}
	wantSubject := TokenSubject{Found: true, Email: "a@b.c", SessionVersion: 3, OrgID: "org_1", Role: "admin", ClientName: "App", ClientEnabled: true}
	if f.Subject != wantSubject {
		t.Errorf("subject: %+v, want %+v", f.Subject, wantSubject)
	}
	var version string
	if err := db.ReadOne(ctx, func(tx *Tx) (err error) { version, err = tx.SigningKeysVersion(ctx); return err }); err != nil {
		t.Fatal(err)
	}
	if f.KeysVersion != version {
		t.Errorf("keys version %q, want %q", f.KeysVersion, version)
	}

	// The licence, by slug: newest subscription first, with its seats.
	before := db.RoundTrips()
	f, err = db.HotRead(ctx, HotQuery{APIKeyID: "key_1", License: &LicenseRef{UserID: "user_1", Product: "hot"}})
	if err != nil {
		t.Fatal(err)
	}
	if !f.APIKeyFound || !f.LicenseFound || f.License.Product.ID != "prod_1" || len(f.License.Subscriptions) != 2 ||
		f.License.Subscriptions[0].ID != "sub_new" || !f.License.Subscriptions[0].HasSeat || f.License.Subscriptions[0].SeatsUsed != 1 ||
		f.License.Subscriptions[1].ID != "sub_old" || f.License.Subscriptions[1].HasSeat {
		t.Errorf("licence: %+v", f.License)
	}
	f, err = db.HotRead(ctx, HotQuery{APIKeyID: "key_1", License: &LicenseRef{UserID: "user_1", Product: "hot"}})
	if err != nil {
		t.Fatal(err)
	}
	if n := db.RoundTrips() - before; n > 3 { // the first may prepare the statement (PostgreSQL)
		t.Errorf("two hot reads made %d round trips", n)
	}
	before = db.RoundTrips()
	if _, err := db.HotRead(ctx, HotQuery{APIKeyID: "key_1", License: &LicenseRef{UserID: "user_1", Product: "hot"}}); err != nil {
		t.Fatal(err)
	}
	if n := db.RoundTrips() - before; n != 1 {
		t.Errorf("a prepared hot read made %d round trips, want 1", n)
	}

	// What does not exist is not found, and hides nothing else.
	f, err = db.HotRead(ctx, HotQuery{ClientID: "cl_gone", Token: &TokenRef{ClientID: "cl_1", JTI: "jti_2"}, License: &LicenseRef{UserID: "user_1", Product: "nope"}})
	if err != nil {
		t.Fatal(err)
	}
	if f.ClientFound || !f.Subject.Found || f.Subject.OrgID != "org_1" || !f.LicenseFound || f.License.Product.ID != "" || len(f.License.Subscriptions) != 0 {
		t.Errorf("unknown client and product: %+v", f)
	}
	f, err = db.HotRead(ctx, HotQuery{APIKeyID: "key_gone", Token: &TokenRef{UserID: "user_gone", ClientID: "cl_1", GrantID: "gr_1", JTI: "j"}, UserInfoOf: "user_gone"})
	if err != nil {
		t.Fatal(err)
	}
	if f.APIKeyFound || f.Subject.Found || f.UserFound || len(f.Access) != 0 {
		t.Errorf("unknown key and user: %+v", f)
	}
	if _, _, err := db.LicenseFacts(ctx, "user_gone", "hot"); !errors.Is(err, ErrNotFound) {
		t.Errorf("licence of an unknown user: %v", err)
	}

	// A revoked grant reads as such.
	if err := db.Write(ctx, func(tx *Tx) error { _, err := tx.RevokeGrant(ctx, "gr_1", "test"); return err }); err != nil {
		t.Fatal(err)
	}
	if f, err = db.HotRead(ctx, HotQuery{Token: userToken}); err != nil || !f.Subject.Revoked {
		t.Errorf("revoked grant: %+v %v", f.Subject, err)
	}
	if _, err := db.HotRead(ctx, HotQuery{UserInfoOf: "user_1", License: &LicenseRef{UserID: "user_1", Product: "hot"}}); err == nil {
		t.Error("two many-row parts were read together")
	}
}
