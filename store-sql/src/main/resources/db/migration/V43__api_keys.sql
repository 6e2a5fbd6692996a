-- API keys (docs/authorization.md#api-keys): lk_<env>_<id>_<secret>, exchanged at the token endpoint
-- (RFC 8693) for a short-lived access token. Looked up by the public id; the secret is stored as an
-- HMAC-SHA256 under a key derived from the master key, never in clear.
--
-- The owner is polymorphic: owner_kind says which table owner_id points into ('user' -> users, and
-- 'service_account' -> service_accounts once service accounts exist). A trigger per owner table
-- removes the keys of a deleted owner (a foreign key cannot point into two tables).
CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY,
    public_id    text        NOT NULL UNIQUE CHECK (public_id ~ '^[0-9A-Za-z]{12,32}$'),
    env          text        NOT NULL CHECK (env ~ '^[a-z]{1,16}$'),
    secret_hmac  bytea       NOT NULL,
    owner_kind   text        NOT NULL CHECK (owner_kind IN ('user', 'service_account')),
    owner_id     uuid        NOT NULL,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    scopes       text[]      NOT NULL,
    -- null: the owner's current permissions in org_id; otherwise at most these (intersected at exchange)
    permissions  text[],
    org_id       uuid        REFERENCES organizations (id) ON DELETE CASCADE,
    expires_at   timestamptz,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_keys_owner_idx ON api_keys (owner_kind, owner_id, created_at);

CREATE FUNCTION api_keys_user_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM api_keys WHERE owner_kind = 'user' AND owner_id = OLD.id;
    RETURN OLD;
END;
$$;
CREATE TRIGGER api_keys_owner_user_deleted AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION api_keys_user_deleted();
