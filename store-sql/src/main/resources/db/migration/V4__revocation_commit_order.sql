-- The revocation log is read by position: the bus, other nodes and the SDK's revocation feed resume
-- "after seq N". That is only safe if entries become visible in seq order. An identity value is
-- taken at INSERT, so two revoking transactions could commit in the other order (T1 takes 41,
-- T2 takes 42 and commits, a reader moves past 42, T1 commits 41 behind it: lost for good).
--
-- So the final seq is assigned at commit: a deferred constraint trigger, which runs as the
-- transaction commits, takes a transaction-scoped advisory lock (held until the commit is visible)
-- and renumbers the row. Committers of revocations are serialized only for that instant; the value
-- taken at INSERT is a placeholder no reader ever sees.
CREATE FUNCTION revocations_sequence_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('latchkey.revocations.commit_order', 0));
    UPDATE revocations SET seq = DEFAULT WHERE seq = NEW.seq;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER revocations_commit_order AFTER INSERT ON revocations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION revocations_sequence_at_commit();
