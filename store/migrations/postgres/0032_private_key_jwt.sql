-- PostgreSQL dialect of migrations/0032_private_key_jwt.sql.
-- private_key_jwt (RFC 7523): a client's public keys, by value (a JWKS) or
-- by reference (an https URL fetched with a timeout, a size limit and a
-- cache).
ALTER TABLE oauth_clients ADD COLUMN jwks TEXT NOT NULL DEFAULT '';
ALTER TABLE oauth_clients ADD COLUMN jwks_uri TEXT NOT NULL DEFAULT '';

-- JWT ids seen once (client assertions; proofs later), kept until the JWT
-- expires, so a replay is refused on every server sharing this database.
-- jti_key is a SHA-256 of the kind, the issuer and the jti.
CREATE TABLE oauth_seen_jtis (
    jti_key    TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
CREATE INDEX oauth_seen_jtis_expires ON oauth_seen_jtis (expires_at);
