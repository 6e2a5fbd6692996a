-- Refresh leases: at most one gateway node refreshes a session's tokens at a time, and no database connection is
-- held while it waits for the server (an advisory lock inside an open transaction did hold one, and as many sessions
-- refreshing at once as the pool had connections deadlocked it).
--
-- A lease is claimed by one conditional statement (INSERT … ON CONFLICT DO UPDATE … WHERE the lease has expired),
-- released by a DELETE naming its holder, and otherwise ends at expires_at by itself, so a node that died or lost
-- its connection holding one blocks that session's refresh for one lease time at most. Expiry is judged by the
-- database's clock (clock_timestamp(), microseconds), never by a node's. Rows a dead node left are swept.
CREATE TABLE gateway_refresh_leases (
    id_hash    bytea       PRIMARY KEY,                 -- the session's id hash (gateway_sessions.id_hash)
    holder     text        NOT NULL,                    -- random per claim: only its claimant releases it
    expires_at timestamptz NOT NULL
);
