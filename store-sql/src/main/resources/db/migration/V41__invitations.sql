-- Invitations by e-mail: an organization invites an address with roles. The mailed token (256 random
-- bits) is stored only as its SHA-256 hash; accepting is one conditional UPDATE (pending, not expired)
-- and the membership insert in the same transaction, so a token is taken at most once.
CREATE TABLE invitations (
    id          uuid        PRIMARY KEY,
    org_id      uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email       text        NOT NULL,
    roles       text[]      NOT NULL DEFAULT '{}',
    token_hash  bytea       NOT NULL UNIQUE,
    status      text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    accepted_by uuid        REFERENCES users (id) ON DELETE SET NULL,
    accepted_at timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX invitations_org_idx ON invitations (org_id, id);
-- at most one pending invitation per organization and address
CREATE UNIQUE INDEX invitations_pending_idx ON invitations (org_id, lower(email)) WHERE status = 'pending';
