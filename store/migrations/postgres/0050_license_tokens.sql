-- PostgreSQL dialect of migrations/0050_license_tokens.sql.
-- Signed licence tokens for offline use: per product, how long a token is
-- valid before the app must check in (exp), and the grace period after exp
-- during which an app that cannot reach Optare keeps working. Seconds.
ALTER TABLE products ADD COLUMN license_check_in BIGINT NOT NULL DEFAULT 604800 CHECK (license_check_in >= 3600);
ALTER TABLE products ADD COLUMN license_grace BIGINT NOT NULL DEFAULT 259200 CHECK (license_grace >= 0);
