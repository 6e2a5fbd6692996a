-- Latchkey foundation schema: accounts, sessions, refresh-token families, signing keys,
-- audit events, sign-in throttling and the revocation log.
-- Bearer secrets are stored as SHA-256 hashes only; private keys sealed with the master key.

CREATE TABLE users (
    id               uuid        PRIMARY KEY,
    email            text        NOT NULL,
    email_verified   boolean     NOT NULL DEFAULT false,
    name             text,
    password_hash    text,
    status           text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    security_version integer     NOT NULL DEFAULT 1 CHECK (security_version > 0),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT users_email_unique UNIQUE (email)
);

CREATE TABLE sessions (
    id                  uuid        PRIMARY KEY,
    user_id             uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind                text        NOT NULL CHECK (kind IN ('browser', 'api', 'oauth')),
    cookie_hash         bytea       UNIQUE,
    user_version        integer     NOT NULL,
    auth_time           timestamptz NOT NULL,
    amr                 text,
    client_id           text,
    created_at          timestamptz NOT NULL,
    last_seen_at        timestamptz NOT NULL,
    idle_expires_at     timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL,
    revoked_at          timestamptz,
    revoke_reason       text,
    user_agent          text,
    ip                  text
) WITH (fillfactor = 80);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (absolute_expires_at);

-- One row per refresh-token family; every rotation is one conditional UPDATE of this row.
-- No indexed column changes on rotation, so rotations are HOT updates.
CREATE TABLE refresh_families (
    id              uuid        PRIMARY KEY,
    session_id      uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id       text        NOT NULL,
    scope           text,
    user_version    integer     NOT NULL,
    generation      bigint      NOT NULL DEFAULT 0,
    current_hash    bytea       NOT NULL,
    previous_hash   bytea,
    grace_until     timestamptz,
    created_at      timestamptz NOT NULL,
    last_used_at    timestamptz NOT NULL,
    idle_expires_at timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoke_reason   text
) WITH (fillfactor = 70);
CREATE INDEX refresh_families_session_idx ON refresh_families (session_id);
CREATE INDEX refresh_families_user_idx ON refresh_families (user_id);
CREATE INDEX refresh_families_expiry_idx ON refresh_families (expires_at);

CREATE TABLE signing_keys (
    kid          text        PRIMARY KEY,
    algorithm    text        NOT NULL,
    public_jwk   text        NOT NULL,
    private_key  bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    activates_at timestamptz NOT NULL,
    retires_at   timestamptz
);

-- Failed sign-in streaks per identifier (a keyed hash of the e-mail, for existing and unknown accounts alike).
CREATE TABLE login_failures (
    key             text        PRIMARY KEY,
    failures        integer     NOT NULL,
    last_failure_at timestamptz NOT NULL,
    locked_until    timestamptz
);

CREATE TABLE audit_events (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL,
    type       text        NOT NULL,
    user_id    uuid,
    session_id uuid,
    subject    text,
    client_id  text,
    ip         text,
    user_agent text,
    trace_id   text,
    detail     text
);
CREATE INDEX audit_events_user_idx ON audit_events (user_id, at);
CREATE INDEX audit_events_type_idx ON audit_events (type, at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- What downstream services must stop trusting, in order (the revocation feed reads it by seq).
CREATE TABLE revocations (
    seq              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at               timestamptz NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('session', 'user_version', 'user_disabled', 'user_deleted')),
    user_id          uuid        NOT NULL,
    session_id       uuid,
    security_version integer
);
CREATE INDEX revocations_at_idx ON revocations (at);
