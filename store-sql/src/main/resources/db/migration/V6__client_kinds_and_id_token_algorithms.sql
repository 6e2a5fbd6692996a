-- Per client: how its ID tokens are signed (OIDC Dynamic Client Registration §2 id_token_signed_response_alg).
-- Clients registered before this migration got ES256 ID tokens and keep them, so their relying parties keep
-- working; a client registered from now on without a choice gets RS256, the default the specification gives.
ALTER TABLE oauth_clients ADD COLUMN id_token_signed_response_alg text NOT NULL DEFAULT 'ES256'
    CHECK (id_token_signed_response_alg IN ('RS256', 'ES256'));
ALTER TABLE oauth_clients ALTER COLUMN id_token_signed_response_alg SET DEFAULT 'RS256';

-- Per client: web (the default) or native (RFC 8252). Only a native app's loopback redirect may use any port.
ALTER TABLE oauth_clients ADD COLUMN application_type text NOT NULL DEFAULT 'web'
    CHECK (application_type IN ('web', 'native'));

-- A client id never has the form of a UUID, the form of every user id: a client's own tokens carry its id as
-- sub, which must never be readable as (or equal to) a user's. Mirrors TokenPrincipal.looksLikeUserId.
-- NOT VALID: a client registered with such an id before is kept (its client-credentials grant is refused and it
-- can only be deleted), rather than failing the migration or losing it.
ALTER TABLE oauth_clients ADD CONSTRAINT oauth_clients_id_not_uuid CHECK (NOT (
    client_id ~ '^[0-9A-Fa-f]+(-[0-9A-Fa-f]+){4}$' OR replace(client_id, '-', '') ~ '^[0-9A-Fa-f]{32}$')) NOT VALID;

-- Whether the authorization request carried redirect_uri: then redeeming its code requires the same one
-- (RFC 6749 §4.1.3). Rows from before the migration (at most minutes old) are redeemed as they were.
ALTER TABLE authorization_requests ADD COLUMN redirect_uri_sent boolean NOT NULL DEFAULT false;
ALTER TABLE authorization_codes ADD COLUMN redirect_uri_sent boolean NOT NULL DEFAULT false;
