-- The demo's notes, protected by row-level security (docs/demo.md explains every line).
-- Runs as the migrating user (the one in the JDBC URL), which owns the table. Requests run as
-- latchkey_demo_app: not the owner, not a superuser, no BYPASSRLS, so the policies always apply.

DO $$
BEGIN
    CREATE ROLE latchkey_demo_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;  -- roles are cluster-wide: another demo database made it
END
$$;

DO $$
BEGIN
    -- the app's connections log in as the migrating user and SET ROLE latchkey_demo_app, which needs membership
    IF NOT pg_has_role(current_user, 'latchkey_demo_app', 'MEMBER') THEN
        EXECUTE format('GRANT latchkey_demo_app TO %I', current_user);
    END IF;
END
$$;

GRANT USAGE ON SCHEMA latchkey TO latchkey_demo_app;
GRANT USAGE ON SCHEMA demo TO latchkey_demo_app;

CREATE TABLE demo.notes (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id   uuid NOT NULL DEFAULT latchkey.uid(),       -- the caller, never a value the request sends
    org_id     text DEFAULT latchkey.org_id(),             -- the caller's organization, if the token names one
    title      text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    body       text NOT NULL CHECK (char_length(body) <= 10000),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX notes_owner_created ON demo.notes (owner_id, created_at DESC);
CREATE INDEX notes_org_created ON demo.notes (org_id, created_at DESC) WHERE org_id IS NOT NULL;

ALTER TABLE demo.notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE demo.notes FORCE ROW LEVEL SECURITY;   -- the owner too (e.g. a migration or a psql session)

-- Owner-only rows: read, change and delete your own notes.
CREATE POLICY notes_owner_read ON demo.notes FOR SELECT
    USING (owner_id = (SELECT latchkey.uid()));
CREATE POLICY notes_owner_insert ON demo.notes FOR INSERT
    WITH CHECK (owner_id = (SELECT latchkey.uid()) AND org_id IS NOT DISTINCT FROM (SELECT latchkey.org_id()));
CREATE POLICY notes_owner_update ON demo.notes FOR UPDATE
    USING (owner_id = (SELECT latchkey.uid()))
    WITH CHECK (owner_id = (SELECT latchkey.uid()));
CREATE POLICY notes_owner_delete ON demo.notes FOR DELETE
    USING (owner_id = (SELECT latchkey.uid()));

-- Org-scoped rows: an admin of an organization reads (only reads) the notes written in that organization.
CREATE POLICY notes_org_admin_read ON demo.notes FOR SELECT
    USING (org_id = (SELECT latchkey.org_id()) AND (SELECT latchkey.has_role('admin')));

-- Only the text columns are writable: id, owner, organization and time always come from the defaults above.
GRANT SELECT, DELETE ON demo.notes TO latchkey_demo_app;
GRANT INSERT (title, body), UPDATE (title, body) ON demo.notes TO latchkey_demo_app;
