package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestHotStatementsUnderLoad runs hot (prepared) queries from many readers
// and writers at once: every pool connection must use its prepared
// statements without waiting for another connection, or this deadlocks.
func TestHotStatementsUnderLoad(t *testing.T) {
	db := openTemp(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if len(db.readerStmts.m) == 0 || len(db.writerStmts.m) != len(hotQueries) {
		t.Fatalf("hot statements not prepared: %d reader, %d writer, %d hot", len(db.readerStmts.m), len(db.writerStmts.m), len(hotQueries))
	}
	err := db.Write(ctx, func(tx *Tx) error {
		return tx.InsertOrganization(ctx, Organization{ID: "org_1", Slug: "acme", Name: "Acme", CreatedAt: tx.Now, UpdatedAt: tx.Now})
	})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Go(func() {
			for range 20 {
				var err error
				if i%4 == 0 {
					err = db.Write(ctx, func(tx *Tx) error {
						if _, err := tx.Organization(ctx, "acme"); err != nil {
							return err
						}
						_, err := tx.User(ctx, fmt.Sprint("user_", i))
						return err
					})
				} else {
					err = db.Read(ctx, func(tx *Tx) error {
						if _, err := tx.Organization(ctx, "org_1"); err != nil {
							return err
						}
						_, err := tx.User(ctx, "user_missing")
						return err
					})
				}
				if err != nil && !errors.Is(err, ErrNotFound) {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if ctx.Err() != nil {
		t.Fatal("timed out: hot statements block under load")
	}
}
