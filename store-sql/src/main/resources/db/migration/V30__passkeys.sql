-- Passkeys (issue 11): WebAuthn credential records (WebAuthn Level 3 §4 "credential record").
-- credential_id is unique across users (an authenticator's id names one credential); the attested credential
-- data holds the AAGUID and the COSE public key as the authenticator sent them. A use updates sign_count only
-- when it increases (or stays 0 for counter-less authenticators), in one conditional UPDATE.
CREATE TABLE passkeys (
    id                       uuid        PRIMARY KEY,
    user_id                  uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id            bytea       NOT NULL UNIQUE,
    attested_credential_data bytea       NOT NULL,
    sign_count               bigint      NOT NULL CHECK (sign_count BETWEEN 0 AND 4294967295),
    uv_initialized           boolean     NOT NULL,
    backup_eligible          boolean     NOT NULL,
    backup_state             boolean     NOT NULL,
    transports               text        NOT NULL DEFAULT '',
    name                     text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    created_at               timestamptz NOT NULL,
    last_used_at             timestamptz
);
CREATE INDEX passkeys_user_idx ON passkeys (user_id);
