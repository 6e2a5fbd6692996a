-- A late duplicate of a refresh must not look like theft. A family now keeps the instants of its
-- recent rotations, newest first: rotated_at[k] is when the token k generations behind the current
-- one was replaced. Each rotation prepends its instant and keeps only the entries still inside the
-- grace window, at most 64, so the array is short (usually one entry). Which generation a presented
-- token is comes from deriving its successors forward (they are HMACs of their parents), so no older
-- token hash is stored. See PgRefreshFamilyStore and core's RotationHistory.
--
-- previous_hash and grace_until (one replaced token and its deadline) are superseded by this.
-- A family rotated before this migration keeps its last rotation's instant (last_used_at is set by
-- every rotation), so a replay of its previous token still gets the same successor.
ALTER TABLE refresh_families ADD COLUMN rotated_at timestamptz[] NOT NULL DEFAULT '{}';
UPDATE refresh_families SET rotated_at = ARRAY[last_used_at] WHERE generation > 0 AND revoked_at IS NULL;
ALTER TABLE refresh_families DROP COLUMN previous_hash, DROP COLUMN grace_until;
