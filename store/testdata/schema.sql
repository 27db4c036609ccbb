CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.created_at >= COALESCE((SELECT prune_before FROM audit_retention WHERE id = 1), '')
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.collapse_key IS NOT NULL AND NEW.collapse_key IS OLD.collapse_key
    AND NEW.occurrences = OLD.occurrences + 1 AND NEW.seq = OLD.seq AND NEW.id = OLD.id
    AND NEW.created_at = OLD.created_at AND NEW.actor_type = OLD.actor_type
    AND NEW.actor_id = OLD.actor_id AND NEW.actor_label = OLD.actor_label AND NEW.ip = OLD.ip
    AND NEW.action = OLD.action AND NEW.target_type = OLD.target_type
    AND NEW.target_id = OLD.target_id AND NEW.org_id = OLD.org_id
    AND NEW.outcome = OLD.outcome AND NEW.details = OLD.details)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
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
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,            -- key_…: the bearer value
    secret_hash  TEXT NOT NULL,               -- SHA-256 of the secret, shown once
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    name         TEXT NOT NULL,
    environment  TEXT NOT NULL CHECK (environment IN ('live', 'test')),
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,                        -- batched: see app/keyusage.go
    revoked_at   TEXT
, rate_limit_per_minute INTEGER NOT NULL DEFAULT 0);
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    actor_type  TEXT NOT NULL,
    actor_id    TEXT NOT NULL DEFAULT '',
    actor_label TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id   TEXT NOT NULL DEFAULT '',
    org_id      TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
    details     TEXT NOT NULL DEFAULT '{}'
, occurrences INTEGER NOT NULL DEFAULT 1, collapse_key TEXT);
CREATE TABLE audit_retention (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    prune_before TEXT NOT NULL DEFAULT ''
);
CREATE TABLE cache_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
CREATE TABLE email_verifications (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    email      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE grant_auth_methods (
    grant_id   TEXT PRIMARY KEY,
    amr        TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE idempotency_keys (
    actor        TEXT NOT NULL,
    key          TEXT NOT NULL,
    route        TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    body         BLOB NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    PRIMARY KEY (actor, key)
);
CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES organizations (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE TABLE oauth_client_origins (
    origin    TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES oauth_clients (id),
    PRIMARY KEY (origin, client_id)
);
CREATE TABLE oauth_clients (
    id                        TEXT PRIMARY KEY,
    secret_hash               TEXT NOT NULL DEFAULT '', -- SHA-256 hex; '' for public clients
    name                      TEXT NOT NULL,
    description               TEXT NOT NULL DEFAULT '',
    redirect_uris             TEXT NOT NULL DEFAULT '[]', -- JSON array, compared exactly
    post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]', -- JSON array
    allowed_scopes            TEXT NOT NULL DEFAULT '[]', -- JSON array
    grant_types               TEXT NOT NULL DEFAULT '[]', -- JSON array
    public                    INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    require_pkce              INTEGER NOT NULL DEFAULT 0 CHECK (require_pkce IN (0, 1)),
    first_party               INTEGER NOT NULL DEFAULT 0 CHECK (first_party IN (0, 1)),
    enabled                   INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    org_id                    TEXT NOT NULL REFERENCES organizations (id),
    -- consent_version is bumped when redirect URIs or scopes change, so
    -- consents given to the earlier client are asked again.
    consent_version           INTEGER NOT NULL DEFAULT 1,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL
, auth_method TEXT NOT NULL DEFAULT '', initiate_login_uri TEXT NOT NULL DEFAULT '', require_par INTEGER NOT NULL DEFAULT 0 CHECK (require_par IN (0, 1)), jwks TEXT NOT NULL DEFAULT '', jwks_uri TEXT NOT NULL DEFAULT '', require_dpop INTEGER NOT NULL DEFAULT 0 CHECK (require_dpop IN (0, 1)), target_link_uri TEXT NOT NULL DEFAULT '');
CREATE TABLE oauth_codes (
    code_hash             TEXT PRIMARY KEY,
    grant_id              TEXT NOT NULL, -- the grant redeeming it creates
    client_id             TEXT NOT NULL REFERENCES oauth_clients (id),
    user_id               TEXT NOT NULL REFERENCES users (id),
    redirect_uri          TEXT NOT NULL,
    scopes                TEXT NOT NULL,
    nonce                 TEXT NOT NULL DEFAULT '',
    code_challenge        TEXT NOT NULL DEFAULT '',
    code_challenge_method TEXT NOT NULL DEFAULT '',
    session_id            TEXT NOT NULL DEFAULT '',
    auth_time             TEXT NOT NULL,
    session_version       INTEGER NOT NULL,
    created_at            TEXT NOT NULL,
    expires_at            TEXT NOT NULL,
    used_at               TEXT
);
CREATE TABLE oauth_consents (
    user_id         TEXT NOT NULL REFERENCES users (id),
    client_id       TEXT NOT NULL REFERENCES oauth_clients (id),
    scopes          TEXT NOT NULL, -- space-separated
    consent_version INTEGER NOT NULL, -- the client's consent_version when given
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
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
    session_version  INTEGER NOT NULL DEFAULT 0,
    interval_seconds INTEGER NOT NULL, -- grows by 5 at each slow_down
    last_polled_at   TEXT,
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL
);
CREATE TABLE oauth_grants (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES oauth_clients (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    scopes         TEXT NOT NULL,
    session_id     TEXT NOT NULL DEFAULT '',
    auth_time      TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    revoked_at     TEXT,
    revoked_reason TEXT NOT NULL DEFAULT ''
, dpop_jkt TEXT NOT NULL DEFAULT '');
CREATE TABLE oauth_par_requests (
    request_uri_hash TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL REFERENCES oauth_clients (id),
    params           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    claimed_at       TEXT,
    used_at          TEXT
);
CREATE TABLE oauth_refresh_tokens (
    token_hash      TEXT PRIMARY KEY,
    grant_id        TEXT NOT NULL REFERENCES oauth_grants (id),
    scopes          TEXT NOT NULL,
    session_version INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT
);
CREATE TABLE oauth_revoked_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
CREATE TABLE oauth_seen_jtis (
    jti_key    TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    is_operator INTEGER NOT NULL DEFAULT 0 CHECK (is_operator IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
, rate_limit_per_hour INTEGER NOT NULL DEFAULT 0, require_mfa INTEGER NOT NULL DEFAULT 0 CHECK (require_mfa IN (0, 1)));
CREATE TABLE passkeys (
    id           TEXT PRIMARY KEY, -- base64url of the credential id
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    credential   BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
CREATE TABLE password_links (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
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
, license_check_in INTEGER NOT NULL DEFAULT 604800 CHECK (license_check_in >= 3600), license_grace INTEGER NOT NULL DEFAULT 259200 CHECK (license_grace >= 0), machines_per_seat INTEGER NOT NULL DEFAULT 0 CHECK (machines_per_seat >= 0), floating INTEGER NOT NULL DEFAULT 0 CHECK (floating IN (0, 1)), lease_ttl INTEGER NOT NULL DEFAULT 600 CHECK (lease_ttl >= 60));
CREATE TABLE rate_windows (
    key          TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    count        INTEGER NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users (id),
    code_hash  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (user_id, code_hash)
);
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
CREATE TABLE seats (
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    assigned_at     TEXT NOT NULL,
    PRIMARY KEY (subscription_id, user_id)
);
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE signing_keys (
    kid           TEXT PRIMARY KEY,
    alg           TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('next', 'active', 'retired')),
    private_key   BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    activated_at  TEXT,
    retired_at    TEXT,
    publish_until TEXT
);
CREATE TABLE subscriptions (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    product_id    TEXT NOT NULL REFERENCES products (id),
    total_seats   INTEGER NOT NULL CHECK (total_seats >= 1),
    price_minor   INTEGER NOT NULL DEFAULT 0 CHECK (price_minor >= 0), -- price per seat in minor units
    currency      TEXT NOT NULL DEFAULT 'USD',
    billing_cycle TEXT NOT NULL CHECK (billing_cycle IN ('monthly', 'yearly')),
    status        TEXT NOT NULL CHECK (status IN ('active', 'trial', 'cancelled', 'expired')),
    auto_assign   INTEGER NOT NULL DEFAULT 1 CHECK (auto_assign IN (0, 1)),
    end_date      TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE TABLE usage_hourly (
    metric          TEXT NOT NULL,
    hour            TEXT NOT NULL,
    organization_id TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL DEFAULT '', -- api key id, product id, endpoint or method
    label           TEXT NOT NULL DEFAULT '', -- status class, licence code, error code or result
    count           INTEGER NOT NULL,
    PRIMARY KEY (metric, hour, organization_id, subject, label)
);
CREATE TABLE user_sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE TABLE user_totp (
    user_id       TEXT PRIMARY KEY REFERENCES users (id),
    secret_sealed BLOB NOT NULL,
    confirmed     INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    -- last_step is the last accepted 30-second time step: a code is
    -- accepted once, and never one older than the last.
    last_step     INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    confirmed_at  TEXT
);
CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL,
    email_key        TEXT NOT NULL UNIQUE, -- lower-cased email: unique case-insensitively
    name             TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    email_verified   INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)),
    disabled         INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    session_version  INTEGER NOT NULL DEFAULT 1,
    primary_org_id   TEXT NOT NULL REFERENCES organizations (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE TABLE webauthn_challenges (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL DEFAULT '',
    purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'login')),
    session    BLOB NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE webhook_attempts (
    delivery_id   TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt       INTEGER NOT NULL,
    attempted_at  TEXT NOT NULL,
    response_code INTEGER NOT NULL DEFAULT 0,
    response_body TEXT NOT NULL DEFAULT '', -- first 1 KiB
    latency_ms    INTEGER NOT NULL DEFAULT 0,
    error         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, attempt)
);
CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES webhook_events (id),
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE TABLE webhook_endpoints (
    id                    TEXT PRIMARY KEY,
    org_id                TEXT NOT NULL REFERENCES organizations (id),
    url                   TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    events                TEXT NOT NULL DEFAULT '[]', -- JSON array of event types
    all_orgs              INTEGER NOT NULL DEFAULT 0 CHECK (all_orgs IN (0, 1)),
    secret                TEXT NOT NULL,
    previous_secret       TEXT NOT NULL DEFAULT '',
    previous_secret_until TEXT,
    enabled               INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    disabled_reason       TEXT NOT NULL DEFAULT '',
    failing_since         TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE TABLE webhook_events (
    id         TEXT PRIMARY KEY, -- msg_…: the webhook-id header
    org_id     TEXT NOT NULL DEFAULT '', -- '' for catalogue events
    type       TEXT NOT NULL,
    payload    TEXT NOT NULL, -- the JSON body sent
    created_at TEXT NOT NULL
);
CREATE INDEX activations_lease ON activations (lease_expires_at);
CREATE UNIQUE INDEX activations_machine ON activations (subscription_id, user_id, fingerprint_hash);
CREATE INDEX activations_user ON activations (user_id);
CREATE INDEX api_keys_org ON api_keys (org_id, id);
CREATE INDEX audit_log_action_ip ON audit_log (action, ip, created_at);
CREATE INDEX audit_log_action_target ON audit_log (action, target_id, created_at);
CREATE UNIQUE INDEX audit_log_collapse ON audit_log (collapse_key) WHERE collapse_key IS NOT NULL;
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX audit_log_org ON audit_log (org_id, seq);
CREATE INDEX email_verifications_expires ON email_verifications (expires_at);
CREATE INDEX email_verifications_user ON email_verifications (user_id);
CREATE INDEX grant_auth_methods_created ON grant_auth_methods (created_at);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX memberships_user ON memberships (user_id);
CREATE INDEX oauth_client_origins_client ON oauth_client_origins (client_id);
CREATE INDEX oauth_clients_org ON oauth_clients (org_id);
CREATE INDEX oauth_codes_expires ON oauth_codes (expires_at);
CREATE INDEX oauth_consents_client ON oauth_consents (client_id);
CREATE INDEX oauth_device_codes_expires ON oauth_device_codes (expires_at);
CREATE INDEX oauth_grants_client ON oauth_grants (client_id);
CREATE INDEX oauth_grants_expires ON oauth_grants (expires_at);
CREATE INDEX oauth_grants_user ON oauth_grants (user_id, client_id);
CREATE INDEX oauth_par_requests_expires ON oauth_par_requests (expires_at);
CREATE INDEX oauth_refresh_tokens_expires ON oauth_refresh_tokens (expires_at);
CREATE INDEX oauth_refresh_tokens_grant ON oauth_refresh_tokens (grant_id);
CREATE INDEX oauth_revoked_tokens_expires ON oauth_revoked_tokens (expires_at);
CREATE INDEX oauth_seen_jtis_expires ON oauth_seen_jtis (expires_at);
CREATE UNIQUE INDEX organizations_one_operator ON organizations (is_operator) WHERE is_operator = 1;
CREATE INDEX passkeys_user ON passkeys (user_id);
CREATE INDEX password_links_expires ON password_links (expires_at);
CREATE INDEX password_links_user ON password_links (user_id);
CREATE INDEX rate_windows_expires ON rate_windows (expires_at);
CREATE INDEX seats_user ON seats (user_id);
CREATE INDEX sessions_expiry ON sessions (expiry);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (alg, state) WHERE state = 'active';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (alg, state) WHERE state = 'next';
CREATE INDEX subscriptions_live_end ON subscriptions (end_date) WHERE status IN ('active', 'trial') AND end_date IS NOT NULL;
CREATE UNIQUE INDEX subscriptions_one_live ON subscriptions (org_id, product_id) WHERE status IN ('active', 'trial');
CREATE INDEX subscriptions_org ON subscriptions (org_id, product_id);
CREATE INDEX subscriptions_product ON subscriptions (product_id);
CREATE INDEX usage_hourly_hour ON usage_hourly (hour);
CREATE INDEX usage_hourly_subject ON usage_hourly (subject, metric, hour);
CREATE INDEX user_sessions_created ON user_sessions (created_at);
CREATE INDEX user_sessions_user ON user_sessions (user_id, created_at);
CREATE INDEX users_primary_org ON users (primary_org_id);
CREATE INDEX webauthn_challenges_expires ON webauthn_challenges (expires_at);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id);
