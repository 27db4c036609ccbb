-- PostgreSQL dialect of migrations/0100_cache_version.sql.
-- One counter that every committed change to data a server caches in
-- memory (users, clients, API keys, products, subscriptions, seats,
-- revocations, signing keys) increments in the same transaction, so other
-- processes (the CLI, other replicas) see that their caches are stale.
-- The change also sends NOTIFY optare_cache, which replicas LISTEN for.
CREATE TABLE cache_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO cache_version (id, version) VALUES (1, 0);
