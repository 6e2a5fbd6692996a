-- Gateway (BFF) state. Own history table (gateway_schema_history), so it can share the server's database or not.

-- One row per signed-in browser. The lookup key is a keyed hash (HMAC-SHA256) of the cookie value; the tokens
-- and claims are sealed (AES-256-GCM, associated data = the id hash), never stored in plaintext.
CREATE TABLE gateway_sessions (
    id_hash           bytea       PRIMARY KEY,
    subject           text        NOT NULL,
    sealed            bytea       NOT NULL,
    generation        bigint      NOT NULL DEFAULT 0,   -- bumped by every token refresh (one conditional UPDATE)
    access_expires_at timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    last_seen_at      timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL              -- the absolute timeout
);
CREATE INDEX gateway_sessions_last_seen ON gateway_sessions (last_seen_at);
CREATE INDEX gateway_sessions_subject ON gateway_sessions (subject);

-- Login flows between /auth/login and /auth/callback: single use (DELETE … RETURNING), bound to the browser by
-- the hash of a random value held in the flow cookie, ten minutes at most.
CREATE TABLE gateway_login_flows (
    state_hash   bytea       PRIMARY KEY,
    binding_hash bytea       NOT NULL,
    sealed       bytea       NOT NULL,
    expires_at   timestamptz NOT NULL
);

-- The gateway's own ES256 key(s) for the Latchkey-Assertion header; private parts sealed.
CREATE TABLE gateway_signing_keys (
    kid        text        PRIMARY KEY,
    sealed_jwk bytea       NOT NULL,
    created_at timestamptz NOT NULL
);
