-- OAuth 2.1 / OpenID Connect provider: clients, pending authorization requests (PAR and
-- interactions), authorization codes, consents, client-assertion replay protection, admin API keys.

CREATE TABLE oauth_clients (
    client_id                 text        PRIMARY KEY,
    client_name               text        NOT NULL,
    auth_method               text        NOT NULL CHECK (auth_method IN
                                  ('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none')),
    secret_hash               bytea,
    redirect_uris             text[]      NOT NULL DEFAULT '{}',
    post_logout_redirect_uris text[]      NOT NULL DEFAULT '{}',
    grant_types               text[]      NOT NULL,
    scopes                    text[]      NOT NULL,
    audiences                 text[]      NOT NULL DEFAULT '{}',
    first_party               boolean     NOT NULL DEFAULT false,
    require_par               boolean     NOT NULL DEFAULT false,
    jwks                      text,
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    CHECK ((auth_method IN ('client_secret_basic', 'client_secret_post')) = (secret_hash IS NOT NULL)),
    CHECK ((auth_method = 'private_key_jwt') = (jwks IS NOT NULL))
);

-- Validated authorization requests waiting for the user (sign-in, consent) or pushed by a client
-- (RFC 9126). Looked up by the hash of their opaque id.
CREATE TABLE authorization_requests (
    id_hash               bytea       PRIMARY KEY,
    client_id             text        NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    redirect_uri          text        NOT NULL,
    scope                 text        NOT NULL,
    state                 text,
    nonce                 text,
    code_challenge        text        NOT NULL,
    prompt                text,
    max_age               integer,
    login_hint            text,
    pushed                boolean     NOT NULL,
    created_at            timestamptz NOT NULL,
    expires_at            timestamptz NOT NULL,
    consumed_at           timestamptz
);
CREATE INDEX authorization_requests_expiry_idx ON authorization_requests (expires_at);

CREATE TABLE authorization_codes (
    code_hash          bytea       PRIMARY KEY,
    client_id          text        NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    redirect_uri       text        NOT NULL,
    user_id            uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    browser_session_id uuid        NOT NULL,
    scope              text        NOT NULL,
    nonce              text,
    code_challenge     text        NOT NULL,
    auth_time          timestamptz NOT NULL,
    amr                text,
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    redeemed_at        timestamptz,
    grant_session_id   uuid
);
CREATE INDEX authorization_codes_expiry_idx ON authorization_codes (expires_at);

CREATE TABLE consents (
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  text        NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    scopes     text[]      NOT NULL,
    granted_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

-- RFC 7523 §3: a client assertion's jti may be used once; remembered until the assertion expires.
CREATE TABLE client_assertion_jtis (
    client_id  text        NOT NULL,
    jti        text        NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (client_id, jti)
);

CREATE TABLE admin_api_keys (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL,
    key_hash     bytea       NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);

-- An OAuth grant gets a session of its own, a child of the browser (SSO) session it came from:
-- ending the browser session ends its children, and revoking one grant leaves the others alone.
ALTER TABLE sessions ADD COLUMN parent_id uuid REFERENCES sessions (id) ON DELETE CASCADE;
CREATE INDEX sessions_parent_idx ON sessions (parent_id) WHERE parent_id IS NOT NULL;

-- Nodes keep hot caches of session and user state; a revocation is announced so every node evicts at once.
CREATE FUNCTION revocations_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('latchkey_revocations', NEW.seq::text);
    RETURN NEW;
END;
$$;
CREATE TRIGGER revocations_announce AFTER INSERT ON revocations FOR EACH ROW EXECUTE FUNCTION revocations_notify();
