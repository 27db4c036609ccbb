-- PostgreSQL dialect of migrations/0002_catalog.sql.
-- Products, subscriptions of organizations to them, and the seats users hold.
CREATE TABLE products (
    id                TEXT PRIMARY KEY,
    slug              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    features          TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    documentation_url TEXT NOT NULL DEFAULT '',
    archived_at       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

CREATE TABLE subscriptions (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    product_id    TEXT NOT NULL REFERENCES products (id),
    total_seats   BIGINT NOT NULL CHECK (total_seats >= 1),
    price_minor   BIGINT NOT NULL DEFAULT 0 CHECK (price_minor >= 0), -- price per seat in minor units
    currency      TEXT NOT NULL DEFAULT 'USD',
    billing_cycle TEXT NOT NULL CHECK (billing_cycle IN ('monthly', 'yearly')),
    status        TEXT NOT NULL CHECK (status IN ('active', 'trial', 'cancelled', 'expired')),
    auto_assign   BIGINT NOT NULL DEFAULT 1 CHECK (auto_assign IN (0, 1)),
    end_date      TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX subscriptions_org ON subscriptions (org_id, product_id);
CREATE INDEX subscriptions_product ON subscriptions (product_id);
-- At most one live (active or trial) subscription per organization and product.
CREATE UNIQUE INDEX subscriptions_one_live ON subscriptions (org_id, product_id) WHERE status IN ('active', 'trial');

CREATE TABLE seats (
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    assigned_at     TEXT NOT NULL,
    PRIMARY KEY (subscription_id, user_id)
);
CREATE INDEX seats_user ON seats (user_id);
