-- PostgreSQL dialect of migrations/0030_device_grant.sql.
-- Client settings of issue 11: how a client authenticates at the token
-- endpoint (RFC 7591 token_endpoint_auth_method) and where a third party
-- may start its sign-in (OpenID Connect Core §4, initiate_login_uri).
ALTER TABLE oauth_clients ADD COLUMN auth_method TEXT NOT NULL DEFAULT '';
ALTER TABLE oauth_clients ADD COLUMN initiate_login_uri TEXT NOT NULL DEFAULT '';
UPDATE oauth_clients SET auth_method = CASE WHEN public = 1 THEN 'none' ELSE 'client_secret_basic' END;

-- Device authorization grant (RFC 8628). Only hashes of the device code and
-- the user code are kept. status moves pending -> approved | denied, and
-- approved -> used when the device redeems it; rows go at expires_at.
CREATE TABLE oauth_device_codes (
    device_code_hash TEXT PRIMARY KEY,
    user_code_hash   TEXT NOT NULL UNIQUE,
    client_id        TEXT NOT NULL REFERENCES oauth_clients (id),
    scopes           TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'used')),
    grant_id         TEXT NOT NULL,
    user_id          TEXT REFERENCES users (id), -- who approved or denied
    session_id       TEXT NOT NULL DEFAULT '',
    auth_time        TEXT,
    session_version  BIGINT NOT NULL DEFAULT 0,
    interval_seconds BIGINT NOT NULL, -- grows by 5 at each slow_down
    last_polled_at   TEXT,
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL
);
CREATE INDEX oauth_device_codes_expires ON oauth_device_codes (expires_at);
