-- PostgreSQL dialect of migrations/0091_target_link_uri.sql.
-- OpenID Connect third-party initiated login (Core §4): where the app
-- should send the user after signing them in, passed as target_link_uri
-- by the client portal's Connect New App; '' for none.
ALTER TABLE oauth_clients ADD COLUMN target_link_uri TEXT NOT NULL DEFAULT '';
