-- Upstream identity providers (issue 12): providers added through the admin API or CLI, browser-bound
-- flows in progress, and upstream tokens of providers configured to keep them.

-- Providers from the configuration file and environment are not stored here. The client secret is sealed
-- with the master key (context 'idp-secret:<name>').
CREATE TABLE identity_providers (
    name                   text        PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9]{0,31}$'),
    type                   text        NOT NULL CHECK (type IN ('oidc', 'oauth2')),
    preset                 text        NOT NULL,
    label                  text        NOT NULL,
    issuer                 text,
    authorization_endpoint text,
    token_endpoint         text,
    userinfo_endpoint      text,
    emails_endpoint        text,
    client_id              text        NOT NULL,
    client_secret          bytea,
    scopes                 text        NOT NULL,
    claim_subject          text        NOT NULL,
    claim_email            text        NOT NULL,
    claim_email_verified   text        NOT NULL,
    claim_name             text        NOT NULL,
    allowed_domains        text        NOT NULL DEFAULT '',
    may_create_users       boolean     NOT NULL,
    trusted_emails         boolean     NOT NULL,
    store_tokens           boolean     NOT NULL,
    trust_upstream_mfa     boolean     NOT NULL,
    enabled                boolean     NOT NULL,
    apple_team_id          text,
    apple_key_id           text,
    updated_at             timestamptz NOT NULL
);

-- A redirect to an upstream provider in progress: SHA-256 of state and of the browser's flow cookie;
-- taken by one DELETE … RETURNING (single use). The PKCE verifier is sealed.
CREATE TABLE upstream_flows (
    state_hash    bytea       PRIMARY KEY,
    binding_hash  bytea       NOT NULL,
    provider      text        NOT NULL,
    nonce         text        NOT NULL,
    code_verifier bytea       NOT NULL,
    purpose       text        NOT NULL CHECK (purpose IN ('sign_in', 'link')),
    user_id       uuid        REFERENCES users (id) ON DELETE CASCADE,
    return_to     text        NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX upstream_flows_expiry_idx ON upstream_flows (expires_at);

-- Upstream tokens, only for providers with store_tokens; sealed with the master key.
CREATE TABLE upstream_tokens (
    provider   text        NOT NULL,
    subject    text        NOT NULL,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sealed     bytea       NOT NULL,
    expires_at timestamptz,
    stored_at  timestamptz NOT NULL,
    PRIMARY KEY (provider, subject)
);
