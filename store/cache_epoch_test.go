package store

import (
	"context"
	"testing"
	"time"
)

// TestInvalidatesCache: writes to cached tables invalidate, except the
// ones that only record use; other tables never do.
func TestInvalidatesCache(t *testing.T) {
	for q, want := range map[string]bool{
		"UPDATE users SET disabled = ? WHERE id = ?":                                 true,
		"INSERT INTO seats (subscription_id, user_id) VALUES (?, ?)":                 true,
		"DELETE FROM seats WHERE subscription_id = ?":                                true,
		"INSERT INTO oauth_revoked_tokens (jti, expires_at) VALUES (?, ?)":           true,
		"UPDATE oauth_grants SET revoked_at = ?, revoked_reason = ? WHERE id = ?":    true,
		"\n\t\tUPDATE signing_keys SET state = ?":                                    true,
		"UPDATE api_keys SET last_used_at = ? WHERE id = ?":                          false,
		"UPDATE oauth_grants SET expires_at = CASE WHEN expires_at < ?1 THEN ?1 END": false,
		"INSERT INTO oauth_grants (id, client_id) VALUES (?, ?)":                     false,
		"INSERT INTO audit_log (id) VALUES (?)":                                      false,
		"UPDATE oauth_refresh_tokens SET used_at = ? WHERE token_hash = ?":           false,
		"INSERT INTO oauth_client_origins(client_id, origin) VALUES (?, ?)":          true,
		"WITH x AS (SELECT 1) DELETE FROM users WHERE id IN (SELECT * FROM x)":       true,
	} {
		if got := classifyWrite(q); got != want {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
}

// TestCacheEpochMoves: a write that changes a cached table moves the
// epoch at once in its process and, through cache_version, in another
// process's handle on the same database (polled on SQLite, NOTIFY on
// PostgreSQL); a write that changes nothing
// cached, or no row, does not.
func TestCacheEpochMoves(t *testing.T) {
	ctx := context.Background()
	path := tempDSN(t)
	a, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ea, eb := a.CacheEpoch(), b.CacheEpoch()
	err = a.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "DELETE FROM users WHERE id = ?", "nobody")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if a.CacheEpoch() != ea {
		t.Fatal("a write that changed no row moved the epoch")
	}
	err = a.Write(ctx, func(tx *Tx) error {
		return tx.InsertOrganization(ctx, Organization{ID: "org_1", Slug: "acme", Name: "Acme", CreatedAt: tx.Now, UpdatedAt: tx.Now})
	})
	if err != nil {
		t.Fatal(err)
	}
	if a.CacheEpoch() == ea {
		t.Fatal("the writing process's epoch did not move at once")
	}
	waitEpoch(t, b, eb)
}

func waitEpoch(t *testing.T, db *DB, old uint64) {
	t.Helper()
	for range 100 { // 2 s
		if db.CacheEpoch() != old {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the other handle's epoch did not move within 2 s")
}
