package store

import "time"

// Now reads the database's clock (Options.Now), the one every
// transaction's Tx.Now comes from, so the domain can use the same clock
// outside a transaction.
func (db *DB) Now() time.Time { return db.now() }
