-- Roles as sets of resource:action permissions: deployment-wide (org_id NULL) or an organization's
-- custom role, which in that organization takes the place of a deployment role of the same name.
CREATE TABLE roles (
    org_id      uuid        REFERENCES organizations (id) ON DELETE CASCADE,
    name        text        NOT NULL CHECK (name ~ '^[a-z][a-z0-9_.-]{0,63}$'),
    description text,
    permissions text[]      NOT NULL DEFAULT '{}',
    updated_at  timestamptz NOT NULL,
    CONSTRAINT roles_scope_name UNIQUE NULLS NOT DISTINCT (org_id, name)
);

-- A change of a member's roles no longer signs the member out: the revocation log announces it
-- (kind roles_changed, with the organization and the member's new roles and permissions), so caches
-- downstream drop tokens that still carry a role or permission the member lost; the next token
-- (refresh) carries the new ones.
ALTER TABLE revocations DROP CONSTRAINT revocations_kind_check;
ALTER TABLE revocations ADD CONSTRAINT revocations_kind_check
    CHECK (kind IN ('session', 'user_version', 'user_disabled', 'user_deleted', 'roles_changed'));
ALTER TABLE revocations ADD COLUMN org_id uuid;
ALTER TABLE revocations ADD COLUMN roles text[];
ALTER TABLE revocations ADD COLUMN permissions text[];
