-- PostgreSQL dialect of migrations/0051_activations.sql.
-- Machine activations and floating licences. A product either limits the
-- machines each seat may activate (machines_per_seat, 0 = no limit) or is
-- floating: at most total_seats concurrent leases across the organization,
-- whoever holds them. Every activation holds a lease that heartbeats
-- extend by lease_ttl seconds; the sweep deletes expired ones.
ALTER TABLE products ADD COLUMN machines_per_seat BIGINT NOT NULL DEFAULT 0 CHECK (machines_per_seat >= 0);
ALTER TABLE products ADD COLUMN floating BIGINT NOT NULL DEFAULT 0 CHECK (floating IN (0, 1));
ALTER TABLE products ADD COLUMN lease_ttl BIGINT NOT NULL DEFAULT 600 CHECK (lease_ttl >= 60);

CREATE TABLE activations (
    id                TEXT PRIMARY KEY,
    subscription_id   TEXT NOT NULL REFERENCES subscriptions (id),
    org_id            TEXT NOT NULL REFERENCES organizations (id),
    product_id        TEXT NOT NULL REFERENCES products (id),
    user_id           TEXT NOT NULL REFERENCES users (id),
    fingerprint_hash  TEXT NOT NULL, -- hex SHA-256 of the machine fingerprint
    name              TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    last_heartbeat_at TEXT NOT NULL,
    lease_expires_at  TEXT NOT NULL
);
-- One activation per machine, user and subscription: activating again renews it.
CREATE UNIQUE INDEX activations_machine ON activations (subscription_id, user_id, fingerprint_hash);
CREATE INDEX activations_lease ON activations (lease_expires_at);
CREATE INDEX activations_user ON activations (user_id);
