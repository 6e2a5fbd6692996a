-- Organizations and memberships: the roles a user holds in an organization travel in access tokens
-- (claims org and roles), so APIs and Postgres row-level security can authorize by them.
CREATE TABLE organizations (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE memberships (
    org_id     uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    roles      text[]      NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id, created_at);

-- A refresh family carries the organization and roles its session started with; a change of
-- membership bumps the user's security version, which ends the family (the next sign-in sees the change).
ALTER TABLE refresh_families ADD COLUMN org_id uuid;
ALTER TABLE refresh_families ADD COLUMN roles text[] NOT NULL DEFAULT '{}';

