-- DPoP (RFC 9449). A client may be required to prove possession of a key
-- on every token request (dpop_bound_access_tokens). A public client's
-- token family is bound to the key of its first DPoP token request: dpop_jkt
-- is that key's JWK SHA-256 thumbprint (RFC 7638), '' when unbound. Proof
-- jtis use oauth_seen_jtis as their replay cache.
ALTER TABLE oauth_clients ADD COLUMN require_dpop INTEGER NOT NULL DEFAULT 0 CHECK (require_dpop IN (0, 1));
ALTER TABLE oauth_grants ADD COLUMN dpop_jkt TEXT NOT NULL DEFAULT '';
