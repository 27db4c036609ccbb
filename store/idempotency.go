package store

import (
	"context"
	"time"
)

// Idempotency is an idempotency_keys row: the first answer to a POST sent
// with an Idempotency-Key. Status 0 means the first request is still running.
type Idempotency struct {
	Actor       string
	Key         string
	Route       string
	RequestHash string
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// ReserveIdempotency records that a request with this key has started; a key
// the actor already used is ErrConflict.
func (tx *Tx) ReserveIdempotency(ctx context.Context, i Idempotency) error {
	_, err := tx.exec(ctx, "INSERT INTO idempotency_keys (actor, key, route, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, 0, '', ?)",
		i.Actor, i.Key, i.Route, i.RequestHash, formatTime(tx.Now))
	return err
}

// Idempotency finds an actor's key.
func (tx *Tx) Idempotency(ctx context.Context, actor, key string) (Idempotency, error) {
	var i Idempotency
	var created string
	err := tx.queryRow(ctx, "SELECT actor, key, route, request_hash, status, body, created_at FROM idempotency_keys WHERE actor = ? AND key = ?", actor, key).
		Scan(&i.Actor, &i.Key, &i.Route, &i.RequestHash, &i.Status, &i.Body, &created)
	if err != nil {
		return i, mapErr(err)
	}
	i.CreatedAt = parseTime(created)
	return i, nil
}

// CompleteIdempotency stores the answer to replay.
func (tx *Tx) CompleteIdempotency(ctx context.Context, actor, key string, status int, body []byte) error {
	return tx.execOne(ctx, "UPDATE idempotency_keys SET status = ?, body = ? WHERE actor = ? AND key = ?", status, body, actor, key)
}

// DeleteIdempotency forgets a key (the first request failed on our side, so
// a retry should run again).
func (tx *Tx) DeleteIdempotency(ctx context.Context, actor, key string) error {
	_, err := tx.exec(ctx, "DELETE FROM idempotency_keys WHERE actor = ? AND key = ?", actor, key)
	return err
}

// DeleteIdempotencyBefore removes up to limit keys created before t and
// reports how many it removed.
func (tx *Tx) DeleteIdempotencyBefore(ctx context.Context, t time.Time, limit int) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM idempotency_keys WHERE (actor, key) IN (SELECT actor, key FROM idempotency_keys WHERE created_at < ? LIMIT ?)", formatTime(t), limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
