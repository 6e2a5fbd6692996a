-- Second factors (issue 11): authenticator-app secrets and recovery codes.

-- TOTP (RFC 6238) secrets, sealed with the master key (AES-GCM, bound to the row id). At most one
-- confirmed and one pending per user. last_step is the last time step a code was accepted for; a
-- code is spent by one conditional UPDATE ... WHERE last_step < step, so it works once on any node.
CREATE TABLE totp_credentials (
    id           uuid        PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret       bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    confirmed_at timestamptz,
    last_step    bigint      NOT NULL DEFAULT -1
);
CREATE UNIQUE INDEX totp_credentials_confirmed_idx ON totp_credentials (user_id) WHERE confirmed_at IS NOT NULL;
CREATE UNIQUE INDEX totp_credentials_pending_idx ON totp_credentials (user_id) WHERE confirmed_at IS NULL;

-- Recovery codes: HMAC-SHA256 (key derived from the master key) of each code; single use.
CREATE TABLE recovery_codes (
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  bytea       NOT NULL,
    created_at timestamptz NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (user_id, code_hash)
);
