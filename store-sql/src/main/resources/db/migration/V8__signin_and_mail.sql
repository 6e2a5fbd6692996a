-- Sign-in and e-mail (issue 10): external identities, mailed tokens, the mail outbox.

-- (provider, subject) -> user: an upstream identity provider's account signs in one Latchkey user.
CREATE TABLE external_identities (
    provider  text        NOT NULL,
    subject   text        NOT NULL,
    user_id   uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email     text,
    linked_at timestamptz NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX external_identities_user_idx ON external_identities (user_id);

-- Mailed links and codes: SHA-256 hashes only; single use (used_at set by one conditional UPDATE),
-- bound to purpose, user and the user's security version at issue time.
CREATE TABLE mail_tokens (
    id            uuid        PRIMARY KEY,
    token_hash    bytea       NOT NULL UNIQUE,
    purpose       text        NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'sign_in', 'change_email')),
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_version  integer     NOT NULL,
    email         text        NOT NULL,
    binding_hash  bytea,
    code_hash     bytea,
    code_attempts integer     NOT NULL DEFAULT 0,
    payload       text,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);
CREATE INDEX mail_tokens_binding_idx ON mail_tokens (binding_hash) WHERE binding_hash IS NOT NULL;
CREATE INDEX mail_tokens_expiry_idx ON mail_tokens (expires_at);

-- Mails waiting for delivery. Bodies (which hold links) are sealed with the master key and wiped once
-- the mail is sent or given up. A node claims due rows with FOR UPDATE SKIP LOCKED and a lease.
CREATE TABLE mail_outbox (
    id           uuid        PRIMARY KEY,
    to_address   text        NOT NULL,
    subject      text        NOT NULL,
    body         bytea,
    created_at   timestamptz NOT NULL,
    due_at       timestamptz NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    claim_id     uuid,
    lease_until  timestamptz,
    sent_at      timestamptz,
    given_up_at  timestamptz,
    last_error   text
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (due_at) WHERE sent_at IS NULL AND given_up_at IS NULL;
