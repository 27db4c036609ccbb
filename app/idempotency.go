package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"optare/store"
)

// IdempotencyLifetime is how long a POST's first answer is replayed.
const IdempotencyLifetime = 24 * time.Hour

// IdempotentRequest identifies a POST sent with an Idempotency-Key: the key,
// the route it was sent to and a hash of its body.
type IdempotentRequest struct {
	Key   string
	Route string
	Hash  string
}

// StoredResponse is the first answer to an idempotent request.
type StoredResponse struct {
	Status int
	Body   []byte
}

func idempotencyActor(a Actor) string { return string(a.Kind) + ":" + a.ID }

// BeginIdempotent reserves an Idempotency-Key for the actor. It returns the
// stored answer when the key was used before for the same request, and a
// conflict when it was used for a different one or is still running. A nil
// answer and nil error mean: run the request, then FinishIdempotent.
func (s *Service) BeginIdempotent(ctx context.Context, a Actor, req IdempotentRequest) (*StoredResponse, error) {
	if len(req.Key) > 255 || strings.ContainsFunc(req.Key, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		return nil, errInvalid(map[string]string{"Idempotency-Key": "Use up to 255 printable ASCII characters."})
	}
	actor := idempotencyActor(a)
	var stored *StoredResponse
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		prev, err := tx.Idempotency(ctx, actor, req.Key)
		if err == nil && prev.CreatedAt.Add(IdempotencyLifetime).Before(tx.Now) {
			if err := tx.DeleteIdempotency(ctx, actor, req.Key); err != nil {
				return err
			}
			err = store.ErrNotFound
		}
		switch {
		case errors.Is(err, store.ErrNotFound):
			return tx.ReserveIdempotency(ctx, store.Idempotency{Actor: actor, Key: req.Key, Route: req.Route, RequestHash: req.Hash})
		case err != nil:
			return err
		case prev.Route != req.Route || prev.RequestHash != req.Hash:
			return &Error{Kind: KindInvalid, Code: "idempotency_key_reused",
				Message: "This Idempotency-Key was used for a different request.",
				Fields:  map[string]string{"Idempotency-Key": "Already used with another body or route."}}
		case prev.Status == 0:
			return errConflict("idempotency_in_progress", "A request with this Idempotency-Key is still running. Retry shortly.")
		}
		stored = &StoredResponse{Status: prev.Status, Body: prev.Body}
		return nil
	})
	if err != nil {
		if ErrorKind(err) != KindInternal {
			return nil, err
		}
		return nil, errInternal("idempotency key: %w", err)
	}
	return stored, nil
}

// FinishIdempotent stores the answer of a reserved request; a server-side
// failure (5xx) releases the key instead, so a retry runs again.
func (s *Service) FinishIdempotent(ctx context.Context, a Actor, key string, status int, body []byte) error {
	actor := idempotencyActor(a)
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if status >= 500 {
			return tx.DeleteIdempotency(ctx, actor, key)
		}
		return tx.CompleteIdempotency(ctx, actor, key, status, body)
	})
	if err != nil {
		return errInternal("store idempotent answer: %w", err)
	}
	return nil
}
