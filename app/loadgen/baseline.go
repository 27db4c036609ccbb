package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	_ "modernc.org/sqlite" // the baseline's SQLite, the driver Optare uses

	"optare/app/oidc"
	"optare/store"
)

// baseline is what the refresh grant is measured against: "ES256 sign
// + one SQLite write". A bare handler, none of Optare's stack (no
// middleware, client authentication, caches or transactions), that signs
// one ES256 JWT and makes one autocommit INSERT through a single-writer
// SQLite pool opened as Optare opens its writer (WAL, the same pragmas:
// store.SQLiteWriterDSN).
type baseline struct {
	db   *sql.DB
	keys *oidc.KeySet
}

// baselineClaims are an access token's usual claims.
type baselineClaims struct {
	Issuer    string `json:"iss"`
	Subject   string `json:"sub"`
	Audience  string `json:"aud"`
	ExpiresAt int64  `json:"exp"`
	IssuedAt  int64  `json:"iat"`
	JTI       string `json:"jti"`
	Scope     string `json:"scope"`
}

// openBaseline creates the baseline's database in dir (one table, the
// write's) and its ES256 key.
func openBaseline(ctx context.Context, dir string) (*baseline, error) {
	db, err := sql.Open("sqlite", store.SQLiteWriterDSN(filepath.Join(dir, "baseline.db")))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one writer, as Optare's SQLite writer
	db.SetMaxIdleConns(1)
	if _, err := db.ExecContext(ctx, "CREATE TABLE writes (id TEXT PRIMARY KEY, subject TEXT NOT NULL, created_at TEXT NOT NULL)"); err != nil {
		db.Close()
		return nil, fmt.Errorf("baseline table: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		db.Close()
		return nil, err
	}
	keys, err := oidc.NewKeySet(oidc.Key{ID: "baseline", Alg: oidc.AlgES256, Private: key}, nil)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &baseline{db: db, keys: keys}, nil
}

func (b *baseline) Close() error { return b.db.Close() }

// ServeHTTP reads the request, signs a token with a fresh jti, records the
// jti, and answers the token as JSON.
func (b *baseline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, err := io.Copy(io.Discard, r.Body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var id [16]byte
	rand.Read(id[:])
	now := time.Now()
	c := baselineClaims{Issuer: "http://baseline", Subject: "user", Audience: "client", IssuedAt: now.Unix(),
		ExpiresAt: now.Add(time.Hour).Unix(), JTI: hex.EncodeToString(id[:]), Scope: "openid email profile"}
	tok, err := b.keys.Sign(c, oidc.TypeAccessToken)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if _, err := b.db.ExecContext(r.Context(), "INSERT INTO writes (id, subject, created_at) VALUES (?, ?, ?)",
		c.JTI, c.Subject, now.UTC().Format(time.RFC3339Nano)); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"access_token":` + strconv.Quote(tok) + `,"token_type":"Bearer","expires_in":3600}`))
}

// baselineScenario loads the baseline's server at base.
func baselineScenario(base string) scenario {
	return scenario{baselineName, func(c *conn, i int) error {
		req, _ := http.NewRequest(http.MethodPost, base+"/token", body("grant_type=refresh_token&refresh_token=rt_x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return send(c, req, nil)
	}}
}

const baselineName = "baseline: ES256 sign + 1 write"
