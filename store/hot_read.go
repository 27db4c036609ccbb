package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HotQuery names what one hot request (a token check, userinfo, a licence
// check, a client's or API key's authentication) reads when the app's
// caches do not hold it. HotRead reads all of it in one statement: every
// input is known before the database is asked, so a cold request makes
// one round trip, whatever it needs. Empty fields are not read; at most
// one of UserInfoOf and License (the parts with several rows).
type HotQuery struct {
	// ClientID reads an OAuth client.
	ClientID string
	// APIKeyID reads an API key with its organization's limits.
	APIKeyID string
	// Token reads the subject of an access token (TokenSubject).
	Token *TokenRef
	// UserInfoOf reads a user and their product access (AccessOfUser).
	UserInfoOf string
	// License reads the facts of a licence check (LicenseFacts).
	License *LicenseRef
}

// TokenRef names an access token's subject: a user's token (GrantID set:
// it descends from a grant) or a client's own (client credentials, no
// grant, UserID empty).
type TokenRef struct{ UserID, ClientID, GrantID, JTI string }

// user reports whether the token is a user's.
func (t *TokenRef) user() bool { return t != nil && t.GrantID != "" }

// LicenseRef names a licence: a user by id, a product by id or slug.
type LicenseRef struct{ UserID, Product string }

// HotFacts is what HotRead found. A part that was not asked for, or whose
// row does not exist, is zero with its Found false.
type HotFacts struct {
	// Now is the time of the read.
	Now time.Time
	// KeysVersion is the signing keys' version (SigningKeysVersion), read
	// every time: a cached keyring of that version is current.
	KeysVersion string
	Client      Client
	ClientFound bool
	APIKey      APIKey
	APIKeyFound bool
	// Subject is the token's subject; Subject.Found tells whether it exists.
	Subject      TokenSubject
	User         User
	UserFound    bool
	Access       []Access
	License      LicenseFacts
	LicenseFound bool
}

// hotShape is which parts a HotQuery reads: the statement of each shape is
// built once and prepared on first use.
type hotShape struct {
	client, apiKey, userToken, clientToken, userInfo, license bool
}

func (q HotQuery) shape() hotShape {
	return hotShape{client: q.ClientID != "", apiKey: q.APIKeyID != "",
		userToken: q.Token.user(), clientToken: q.Token != nil && !q.Token.user(),
		userInfo: q.UserInfoOf != "", license: q.License != nil}
}

// hotStatement is a shape's SQL and the layout of its rows.
type hotStatement struct {
	query string
	width int
	// the first column of each part, -1 when the shape does not read it
	client, apiKey, subject, user, access, license int
	// subjectWidth tells the user's token subject from a client's
	subjectWidth, nParams int
}

var hotStatements sync.Map // hotShape -> *hotStatement

// hotStatementOf builds the statement of a shape: the keys' version as the
// one-row base, each single-row part LEFT JOINed to it (its columns NULL
// when its row does not exist) and at most one many-row part last. The
// parts are the same SQL the package's other reads use.
func hotStatementOf(sh hotShape) *hotStatement {
	if v, ok := hotStatements.Load(sh); ok {
		return v.(*hotStatement)
	}
	st := &hotStatement{client: -1, apiKey: -1, subject: -1, user: -1, access: -1, license: -1}
	var b strings.Builder
	b.WriteString("SELECT * FROM (" + signingKeysVersionSQL + ") h")
	st.width = 1
	param := func() string { st.nParams++; return "?" + strconv.Itoa(st.nParams) }
	join := func(at *int, width int, alias, sub string) {
		*at = st.width
		st.width += width
		b.WriteString("\n LEFT JOIN (" + sub + ") " + alias + " ON 1 = 1")
	}
	if sh.client {
		join(&st.client, clientWidth, "c", "SELECT "+clientColumns+" FROM oauth_clients c WHERE c.id = "+param())
	}
	if sh.apiKey {
		join(&st.apiKey, apiKeyWidth, "k", apiKeyByIDSQL(param()))
	}
	if sh.userToken {
		user, client, grant, jti := param(), param(), param(), param()
		join(&st.subject, userTokenSubjectWidth, "t", userTokenSubjectSQL(user, client, grant, jti))
		st.subjectWidth = userTokenSubjectWidth
	}
	if sh.clientToken {
		client, jti := param(), param()
		join(&st.subject, clientTokenSubjectWidth, "t", clientTokenSubjectSQL(client, jti))
		st.subjectWidth = clientTokenSubjectWidth
	}
	order := ""
	if sh.userInfo {
		user, now := param(), param()
		join(&st.user, userWidth, "u", "SELECT "+userColumns+" FROM users WHERE id = "+user)
		join(&st.access, accessWidth, "a", accessOfUserSQL(user, now))
		order = " ORDER BY a.access_slug"
	}
	if sh.license {
		user, product := param(), param()
		join(&st.license, licenseFactsWidth, "l", licenseFactsSQL(user, product))
		order = " ORDER BY l.license_sub_created DESC, l.license_sub_id DESC"
	}
	b.WriteString(order)
	st.query = b.String()
	v, _ := hotStatements.LoadOrStore(sh, st)
	return v.(*hotStatement)
}

// args are q's parameters in the order hotStatementOf numbered them.
func (q HotQuery) args(now time.Time) []any {
	var args []any
	if q.ClientID != "" {
		args = append(args, q.ClientID)
	}
	if q.APIKeyID != "" {
		args = append(args, q.APIKeyID)
	}
	if t := q.Token; t.user() {
		args = append(args, t.UserID, t.ClientID, t.GrantID, t.JTI)
	} else if t != nil {
		args = append(args, t.ClientID, t.JTI)
	}
	if q.UserInfoOf != "" {
		args = append(args, q.UserInfoOf, formatTime(now))
	}
	if q.License != nil {
		args = append(args, q.License.UserID, q.License.Product)
	}
	return args
}

var errTwoManyRowParts = errors.New("store: HotRead reads userinfo or a licence, not both")

// HotRead reads everything q names in one prepared statement, without a
// transaction (one statement is its own consistent snapshot) and without
// writing. What does not exist comes back with its Found false: the
// caller decides what a missing row means.
func (db *DB) HotRead(ctx context.Context, q HotQuery) (HotFacts, error) {
	f := HotFacts{Now: db.now().UTC()}
	if q.UserInfoOf != "" && q.License != nil {
		return f, errTwoManyRowParts
	}
	st := hotStatementOf(q.shape())
	stmt, err := db.readerStmts.lazy(ctx, db, st.query)
	if err != nil {
		return f, fmt.Errorf("prepare hot read: %w", err)
	}
	db.sqliteTrip()
	rows, err := stmt.QueryContext(ctx, q.args(f.Now)...)
	if err != nil {
		return f, fmt.Errorf("hot read: %w", mapErr(err))
	}
	defer rows.Close()
	vals, ptrs := make(values, st.width), make([]any, st.width)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	first := true
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return f, fmt.Errorf("hot read: %w", mapErr(err))
		}
		if first {
			if err := f.head(st, vals); err != nil {
				return f, fmt.Errorf("hot read: %w", err)
			}
			first = false
		}
		if err := f.tail(st, vals); err != nil {
			return f, fmt.Errorf("hot read: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("hot read: %w", mapErr(err))
	}
	if first {
		return f, errors.New("hot read: no row") // the base row always exists
	}
	return f, nil
}

// head reads the single-row parts of the first row.
func (f *HotFacts) head(st *hotStatement, v values) (err error) {
	if err := v.part(0, 1).Scan(&f.KeysVersion); err != nil {
		return err
	}
	if p := v.part(st.client, clientWidth); p.present() {
		f.Client, err = scanClient(p)
		f.ClientFound = err == nil
	}
	if p := v.part(st.apiKey, apiKeyWidth); err == nil && p.present() {
		f.APIKey, err = scanAPIKey(p)
		f.APIKeyFound = err == nil
	}
	if p := v.part(st.subject, st.subjectWidth); err == nil && p.present() {
		if st.subjectWidth == clientTokenSubjectWidth {
			f.Subject, err = scanClientTokenSubject(p)
		} else {
			f.Subject, err = scanUserTokenSubject(p)
		}
	}
	if p := v.part(st.user, userWidth); err == nil && p.present() {
		f.User, err = scanUser(p)
		f.UserFound = err == nil
	}
	return err
}

// tail reads the many-row part of one row.
func (f *HotFacts) tail(st *hotStatement, v values) error {
	if p := v.part(st.access, accessWidth); p.present() {
		a, err := scanAccess(p)
		if err != nil {
			return err
		}
		f.Access = append(f.Access, a)
	}
	if p := v.part(st.license, licenseFactsWidth); p.present() {
		f.LicenseFound = true
		return f.License.addRow(p)
	}
	return nil
}

// values are the columns of one row as the driver gave them (HotRead scans
// its wide rows once, then each part from its slice of them).
type values []any

// part is the width columns from at; none when at < 0 (not read).
func (v values) part(at, width int) values {
	if at < 0 {
		return nil
	}
	return v[at : at+width]
}

// present reports whether the part's row exists: its first column, never
// NULL in its own query, is NULL only when the LEFT JOIN found nothing.
func (v values) present() bool { return len(v) > 0 && v[0] != nil }

// Scan converts the part's columns into dest as sql.Rows.Scan would, so
// the package's scanners read a part as they read a row of their own.
func (v values) Scan(dest ...any) error {
	if len(dest) != len(v) {
		return fmt.Errorf("store: %d columns scanned into %d destinations", len(v), len(dest))
	}
	for i, d := range dest {
		if err := assign(d, v[i]); err != nil {
			return fmt.Errorf("store: column %d: %w", i, err)
		}
	}
	return nil
}

// assign stores a driver value in one of the destination types the
// package's scanners use, through database/sql's own conversion
// (sql.Null[T].Scan).
func assign(dest, src any) error {
	switch d := dest.(type) {
	case sql.Scanner:
		return d.Scan(src)
	case *string:
		return convert(d, src)
	case *bool:
		return convert(d, src)
	case *int:
		return convert(d, src)
	case *int64:
		return convert(d, src)
	case **string:
		if src == nil {
			*d = nil
			return nil
		}
		var s string
		err := convert(&s, src)
		*d = &s
		return err
	}
	return fmt.Errorf("cannot scan into %T", dest)
}

func convert[T any](dest *T, src any) error {
	var n sql.Null[T]
	if err := n.Scan(src); err != nil {
		return err
	}
	if !n.Valid {
		return fmt.Errorf("NULL into %T", dest)
	}
	*dest = n.V
	return nil
}
