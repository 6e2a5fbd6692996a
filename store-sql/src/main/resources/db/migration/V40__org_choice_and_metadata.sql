-- Organizations get a unique, URL-safe slug (lower case; generated from the name for existing rows) and a
-- small JSON object of custom claims that access tokens carry under org_claims (docs/authorization.md).
ALTER TABLE organizations ADD COLUMN slug text;
ALTER TABLE organizations ADD COLUMN claims jsonb NOT NULL DEFAULT '{}'::jsonb;
WITH base AS (
    SELECT id, coalesce(nullif(left(trim(both '-' FROM regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), 48), ''), 'org') AS s,
           row_number() OVER (PARTITION BY coalesce(nullif(left(trim(both '-' FROM regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), 48), ''), 'org')
                              ORDER BY created_at, id) AS n
      FROM organizations)
UPDATE organizations o SET slug = CASE WHEN b.n = 1 THEN b.s ELSE b.s || '-' || right(replace(o.id::text, '-', ''), 12) END
  FROM base b WHERE b.id = o.id;
-- a slug is never a UUID's shape, so an authorize request's organization=<id or slug> is never ambiguous
UPDATE organizations SET slug = 'org-' || slug WHERE slug ~ '^[0-9a-f]+(-[0-9a-f]+){4}$' OR replace(slug, '-', '') ~ '^[0-9a-f]{32}$';
ALTER TABLE organizations ALTER COLUMN slug SET NOT NULL;
ALTER TABLE organizations ADD CONSTRAINT organizations_slug_key UNIQUE (slug);
ALTER TABLE organizations ADD CONSTRAINT organizations_slug_check CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'
    AND slug !~ '^[0-9a-f]+(-[0-9a-f]+){4}$' AND replace(slug, '-', '') !~ '^[0-9a-f]{32}$');
-- a row inserted without a slug (by SQL, not through Latchkey) gets one from its name and the random end of its id
CREATE FUNCTION organizations_default_slug() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.slug IS NULL THEN
        NEW.slug := coalesce(nullif(left(trim(both '-' FROM regexp_replace(lower(NEW.name), '[^a-z0-9]+', '-', 'g')), 48), ''), 'org')
                    || '-' || right(replace(NEW.id::text, '-', ''), 12);
        IF NEW.slug ~ '^[0-9a-f]+(-[0-9a-f]+){4}$' THEN
            NEW.slug := 'org-' || NEW.slug;
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER organizations_default_slug BEFORE INSERT ON organizations FOR EACH ROW EXECUTE FUNCTION organizations_default_slug();
ALTER TABLE organizations ADD CONSTRAINT organizations_claims_check CHECK (jsonb_typeof(claims) = 'object');

-- The organization an authorization request asked for (organization=<id or slug>, as sent) and the one the user
-- chose on the chooser page (recorded only when the user is a member, in the same statement), and the code's.
ALTER TABLE authorization_requests ADD COLUMN organization text;
ALTER TABLE authorization_requests ADD COLUMN chosen_org_id uuid;
ALTER TABLE authorization_requests ADD COLUMN chosen_by uuid;
ALTER TABLE authorization_codes ADD COLUMN org_id uuid;

-- Audit events about an organization name it, so they can be listed per organization (newest first, by id).
ALTER TABLE audit_events ADD COLUMN org_id uuid;
-- existing organization events named it only as their subject: fill the new column once (the table is append-only
-- otherwise; only this derived column is written, and only here)
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
UPDATE audit_events SET org_id = subject::uuid
 WHERE type IN ('organization_created', 'organization_deleted', 'membership_changed', 'role_defined', 'role_deleted')
   AND subject ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;
CREATE INDEX audit_events_org_idx ON audit_events (org_id, id) WHERE org_id IS NOT NULL;
