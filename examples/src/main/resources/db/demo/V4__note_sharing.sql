-- Sharing (docs/demo.md, docs/relations.md): a note's viewers and editors are relations in Latchkey
-- (demo/notes.fga), mirrored into latchkey.fga_* by the app; these policies let PostgreSQL enforce them.
-- They add to V2's owner policies (permissive policies are OR-ed): still no WHERE in the notes SQL.

-- the set of shared note ids is computed once per statement (latchkey.objects), not once per row
CREATE POLICY notes_shared_read ON demo.notes FOR SELECT
    USING (id::text IN (SELECT latchkey.objects('note', 'viewer')));

-- an editor may change the text (the column grants of V2 keep id, owner and organization untouchable)
CREATE POLICY notes_shared_update ON demo.notes FOR UPDATE
    USING (latchkey.check('note', id::text, 'editor'))
    WITH CHECK (latchkey.check('note', id::text, 'editor'));
