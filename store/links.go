package store

import (
	"context"
	"time"
)

// oneTimeLink is a row of a table of one-time links sent by email
// (password_links, email_verifications): the hash of the link's token, the
// user it is for, one column of its own (detail) and its lifetime.
type oneTimeLink struct {
	TokenHash, UserID, Detail string
	CreatedAt, ExpiresAt      time.Time
}

// linkTable names a table of one-time links and its own column.
type linkTable struct{ name, detail string }

var (
	passwordLinks      = linkTable{"password_links", "purpose"}
	emailVerifications = linkTable{"email_verifications", "email"}
)

func (tx *Tx) insertLink(ctx context.Context, t linkTable, l oneTimeLink) error {
	_, err := tx.exec(ctx, "INSERT INTO "+t.name+" (token_hash, user_id, "+t.detail+", created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		l.TokenHash, l.UserID, l.Detail, formatTime(l.CreatedAt), formatTime(l.ExpiresAt))
	return err
}

// link finds an unexpired link by token hash; ErrNotFound when none.
func (tx *Tx) link(ctx context.Context, t linkTable, hash string) (oneTimeLink, error) {
	var l oneTimeLink
	var created, expires string
	err := tx.queryRow(ctx, "SELECT token_hash, user_id, "+t.detail+", created_at, expires_at FROM "+t.name+
		" WHERE token_hash = ? AND expires_at > ?", hash, formatTime(tx.Now)).
		Scan(&l.TokenHash, &l.UserID, &l.Detail, &created, &expires)
	if err != nil {
		return l, mapErr(err)
	}
	l.CreatedAt, l.ExpiresAt = parseTime(created), parseTime(expires)
	return l, nil
}

// deleteLinks removes every link of a user: a used link, and any older
// one, stops working.
func (tx *Tx) deleteLinks(ctx context.Context, t linkTable, userID string) error {
	_, err := tx.exec(ctx, "DELETE FROM "+t.name+" WHERE user_id = ?", userID)
	return err
}
