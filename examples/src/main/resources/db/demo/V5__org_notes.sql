-- Organization notes (docs/authorization.md, "The demo: notes of an organization"): besides a user's own notes
-- (private, shareable through relations), a note can belong to the organization the token names, for every member
-- to read while signed in to that organization. Its rows are decided by the token's org and permissions only:
--   read              latchkey.org_id() is the note's organization (any member: a token names an org only for members)
--   create/edit/delete  the same, and latchkey.has_permission('notes:write') (a role of that organization grants it)
-- A note of organization A is therefore invisible, even to its author, while the session is switched to B.
-- The owner and sharing policies of V2/V4 now cover private notes only (permissive policies are OR-ed, so each
-- must exclude the other kind itself).

ALTER TABLE demo.notes ADD COLUMN visibility text NOT NULL DEFAULT 'private'
    CONSTRAINT notes_visibility_known CHECK (visibility IN ('private', 'org'));
ALTER TABLE demo.notes ADD CONSTRAINT notes_org_note_has_org CHECK (visibility = 'private' OR org_id IS NOT NULL);
CREATE INDEX notes_org_visible ON demo.notes (org_id, created_at DESC) WHERE visibility = 'org';

DROP POLICY notes_owner_read ON demo.notes;
CREATE POLICY notes_owner_read ON demo.notes FOR SELECT
    USING (visibility = 'private' AND owner_id = (SELECT latchkey.uid()));
DROP POLICY notes_owner_insert ON demo.notes;
CREATE POLICY notes_owner_insert ON demo.notes FOR INSERT
    WITH CHECK (visibility = 'private' AND owner_id = (SELECT latchkey.uid())
                AND org_id IS NOT DISTINCT FROM (SELECT latchkey.org_id()));
DROP POLICY notes_owner_update ON demo.notes;
CREATE POLICY notes_owner_update ON demo.notes FOR UPDATE
    USING (visibility = 'private' AND owner_id = (SELECT latchkey.uid()))
    WITH CHECK (visibility = 'private' AND owner_id = (SELECT latchkey.uid()));
DROP POLICY notes_owner_delete ON demo.notes;
CREATE POLICY notes_owner_delete ON demo.notes FOR DELETE
    USING (visibility = 'private' AND owner_id = (SELECT latchkey.uid()));

-- a note's relations (owner, viewers, editors) apply to private notes; an org note is its organization's
DROP POLICY notes_shared_read ON demo.notes;
CREATE POLICY notes_shared_read ON demo.notes FOR SELECT
    USING (visibility = 'private' AND id::text IN (SELECT latchkey.objects('note', 'viewer')));
DROP POLICY notes_shared_update ON demo.notes;
CREATE POLICY notes_shared_update ON demo.notes FOR UPDATE
    USING (visibility = 'private' AND latchkey.check('note', id::text, 'editor'))
    WITH CHECK (visibility = 'private' AND latchkey.check('note', id::text, 'editor'));

-- the organization's notes: the current organization's only, and writing them needs notes:write there
CREATE POLICY notes_org_read ON demo.notes FOR SELECT
    USING (visibility = 'org' AND org_id = (SELECT latchkey.org_id()));
CREATE POLICY notes_org_insert ON demo.notes FOR INSERT
    WITH CHECK (visibility = 'org' AND owner_id = (SELECT latchkey.uid()) AND org_id = (SELECT latchkey.org_id())
                AND (SELECT latchkey.has_permission('notes:write')));
CREATE POLICY notes_org_update ON demo.notes FOR UPDATE
    USING (visibility = 'org' AND org_id = (SELECT latchkey.org_id()) AND (SELECT latchkey.has_permission('notes:write')))
    WITH CHECK (visibility = 'org' AND org_id = (SELECT latchkey.org_id()) AND (SELECT latchkey.has_permission('notes:write')));
CREATE POLICY notes_org_delete ON demo.notes FOR DELETE
    USING (visibility = 'org' AND org_id = (SELECT latchkey.org_id()) AND (SELECT latchkey.has_permission('notes:write')));

-- the kind is chosen at creation and never changed (UPDATE stays title and body only)
GRANT INSERT (visibility) ON demo.notes TO latchkey_demo_app;
