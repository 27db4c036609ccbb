package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"optare/app"
	"optare/app/apptest"
	"optare/store"
)

// replica opens a second server process's view of env's database: its own
// pool and its own service, as another replica would have.
func replica(t *testing.T, env *apptest.Env, limits app.Limits) (*app.Service, *store.DB) {
	t.Helper()
	db, err := store.Open(context.Background(), env.Path, store.Options{Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc, err := app.New(db, app.Options{Now: env.Clock.Now, Password: apptest.FastPassword, Limits: limits,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return svc, db
}

// TestReplicasShareRateLimits: a credential's limit holds across replicas
// of a shared database, exactly, however its requests are spread.
func TestReplicasShareRateLimits(t *testing.T) {
	if !apptest.Postgres() {
		t.Skip("several replicas need a shared database (PostgreSQL)")
	}
	env := apptest.New(t)
	limits := app.DefaultLimits
	limits.PerCredential = app.RateLimit{Limit: 10, Window: time.Minute}
	a, _ := replica(t, env, limits)
	b, _ := replica(t, env, limits)
	c, _ := replica(t, env, limits)
	key := app.Actor{Kind: app.ActorAPIKey, ID: "key_shared"}
	allowed := 0
	for i := range 30 {
		svc := []*app.Service{a, b, c}[i%3]
		if _, err := svc.Throttle(key); err == nil {
			allowed++
		}
	}
	if allowed != 10 {
		t.Fatalf("%d of 30 requests allowed across three replicas, want 10", allowed)
	}
	env.Clock.Advance(time.Minute)
	if _, err := b.Throttle(key); err != nil {
		t.Fatalf("next window still refused: %v", err)
	}
}

// TestLeadershipMovesWhenTheLeaderGoes: exactly one replica leads the
// background work, and another takes over when it closes.
func TestLeadershipMovesWhenTheLeaderGoes(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	if !apptest.Postgres() {
		lead, err := env.DB.Leader(ctx)
		if err != nil || !lead {
			t.Fatalf("single-process database: Leader = %v, %v; want true", lead, err)
		}
		return
	}
	_, a := replica(t, env, app.DefaultLimits)
	_, b := replica(t, env, app.DefaultLimits)
	leadA, err := a.Leader(ctx)
	if err != nil || !leadA {
		t.Fatalf("first replica: Leader = %v, %v; want true", leadA, err)
	}
	for _, db := range []*store.DB{b, env.DB} {
		if lead, err := db.Leader(ctx); err != nil || lead {
			t.Fatalf("second leader: Leader = %v, %v; want false", lead, err)
		}
	}
	if lead, _ := a.Leader(ctx); !lead {
		t.Fatal("the leader lost the lead while alive")
	}
	a.Close()
	if lead, err := b.Leader(ctx); err != nil || !lead {
		t.Fatalf("after the leader closed: Leader = %v, %v; want true", lead, err)
	}
}
