-- Latchkey relations inside PostgreSQL (latchkey-sdk; docs/relations.md, "Down to the database").
--
-- Idempotent, like R__latchkey_rls.sql (whose latchkey schema and settings it uses). Run it after that script with
-- psql -f, through dev.latchkey.sdk.relations.RelationsSchema.install, or as a Flyway repeatable migration.
--
-- dev.latchkey.sdk.relations.RelationMirror copies one store's tuples (from Latchkey's change log) and its
-- current model into these tables; latchkey.check() answers from them inside the database, so row-level
-- security policies can say USING (latchkey.check('note', id::text, 'viewer')).
--
-- Fail closed: no mirror yet, a mirror older than its max_staleness, an unknown relation, a path deeper than
-- 25, a conditional tuple (CEL cannot run here) on the granting side: each is "no". A conditional tuple on the
-- excluding side of "but not" counts as present, so a condition can never widen access here.

CREATE SCHEMA IF NOT EXISTS latchkey;

CREATE TABLE IF NOT EXISTS latchkey.fga_tuples (
    object_type   text    NOT NULL,
    object_id     text    NOT NULL,
    relation      text    NOT NULL,
    user_type     text    NOT NULL,
    user_id       text    NOT NULL,
    user_relation text    NOT NULL DEFAULT '',
    conditional   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (object_type, object_id, relation, user_type, user_id, user_relation)
);
CREATE INDEX IF NOT EXISTS fga_tuples_user_idx ON latchkey.fga_tuples (user_type, user_id, user_relation, relation, object_type);

-- The current model, one row per type#relation: its rewrite in OpenFGA's JSON form.
CREATE TABLE IF NOT EXISTS latchkey.fga_model (
    object_type text  NOT NULL,
    relation    text  NOT NULL,
    rewrite     jsonb NOT NULL,
    PRIMARY KEY (object_type, relation)
);

-- Where the mirror is: which store and model, the change-log position, when it last caught up with Latchkey.
CREATE TABLE IF NOT EXISTS latchkey.fga_mirror (
    id            int         PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    store_id      text        NOT NULL,
    model_id      text,
    position      text        NOT NULL DEFAULT '',
    synced_at     timestamptz NOT NULL,
    max_staleness interval    NOT NULL DEFAULT interval '30 seconds',
    user_type     text        NOT NULL DEFAULT 'user'
);

REVOKE ALL ON latchkey.fga_tuples, latchkey.fga_model, latchkey.fga_mirror FROM PUBLIC;

-- One step of a check: does ut:uid(#ur) have rel on ot:oid? assume_conditional says how a conditional tuple
-- counts: false on the granting side, true under an exclusion's subtract (so it excludes).
CREATE OR REPLACE FUNCTION latchkey.fga_check(ot text, oid text, rel text, ut text, uid text, ur text, depth int,
                                              assume_conditional boolean) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rw jsonb;
BEGIN
    IF depth > 25 THEN
        RETURN false;
    END IF;
    IF ur <> '' AND ut = ot AND uid = oid AND ur = rel THEN
        RETURN true;
    END IF;
    SELECT m.rewrite INTO rw FROM latchkey.fga_model m WHERE m.object_type = ot AND m.relation = rel;
    IF rw IS NULL THEN
        RETURN false;
    END IF;
    RETURN latchkey.fga_eval(rw, ot, oid, rel, ut, uid, ur, depth, assume_conditional);
END;
$$;

CREATE OR REPLACE FUNCTION latchkey.fga_eval(node jsonb, ot text, oid text, rel text, ut text, uid text, ur text, depth int,
                                             assume_conditional boolean) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    child jsonb;
    target text;
BEGIN
    IF node ? 'this' THEN
        IF EXISTS (SELECT 1 FROM latchkey.fga_tuples t
                   WHERE t.object_type = ot AND t.object_id = oid AND t.relation = rel AND (assume_conditional OR NOT t.conditional)
                     AND t.user_type = ut AND t.user_relation = ur AND (t.user_id = uid OR (ur = '' AND t.user_id = '*'))) THEN
            RETURN true;
        END IF;
        FOR r IN SELECT t.user_type, t.user_id, t.user_relation FROM latchkey.fga_tuples t
                 WHERE t.object_type = ot AND t.object_id = oid AND t.relation = rel AND t.user_relation <> ''
                   AND (assume_conditional OR NOT t.conditional) LOOP
            IF latchkey.fga_check(r.user_type, r.user_id, r.user_relation, ut, uid, ur, depth + 1, assume_conditional) THEN
                RETURN true;
            END IF;
        END LOOP;
        RETURN false;
    ELSIF node ? 'computedUserset' THEN
        RETURN latchkey.fga_check(ot, oid, node -> 'computedUserset' ->> 'relation', ut, uid, ur, depth + 1, assume_conditional);
    ELSIF node ? 'tupleToUserset' THEN
        target := node -> 'tupleToUserset' -> 'computedUserset' ->> 'relation';
        FOR r IN SELECT t.user_type, t.user_id FROM latchkey.fga_tuples t
                 WHERE t.object_type = ot AND t.object_id = oid AND t.relation = node -> 'tupleToUserset' -> 'tupleset' ->> 'relation'
                   AND t.user_relation = '' AND t.user_id <> '*' AND (assume_conditional OR NOT t.conditional) LOOP
            IF latchkey.fga_check(r.user_type, r.user_id, target, ut, uid, ur, depth + 1, assume_conditional) THEN
                RETURN true;
            END IF;
        END LOOP;
        RETURN false;
    ELSIF node ? 'union' THEN
        FOR child IN SELECT jsonb_array_elements(node -> 'union' -> 'child') LOOP
            IF latchkey.fga_eval(child, ot, oid, rel, ut, uid, ur, depth, assume_conditional) THEN
                RETURN true;
            END IF;
        END LOOP;
        RETURN false;
    ELSIF node ? 'intersection' THEN
        FOR child IN SELECT jsonb_array_elements(node -> 'intersection' -> 'child') LOOP
            IF NOT latchkey.fga_eval(child, ot, oid, rel, ut, uid, ur, depth, assume_conditional) THEN
                RETURN false;
            END IF;
        END LOOP;
        RETURN true;
    ELSIF node ? 'difference' THEN
        RETURN latchkey.fga_eval(node -> 'difference' -> 'base', ot, oid, rel, ut, uid, ur, depth, assume_conditional)
           AND NOT latchkey.fga_eval(node -> 'difference' -> 'subtract', ot, oid, rel, ut, uid, ur, depth, NOT assume_conditional);
    END IF;
    RETURN false;
END;
$$;

-- Does the transaction's verified user (latchkey.user_id, as <user_type>:<id>) have relation on
-- object_type:object_id? False without a user identity, without a mirror, or when the mirror is stale.
CREATE OR REPLACE FUNCTION latchkey.check(object_type text, object_id text, relation text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who text := nullif(current_setting('latchkey.user_id', true), '');  -- a user only, never a client
    m latchkey.fga_mirror;
BEGIN
    IF who IS NULL OR object_id IS NULL THEN
        RETURN false;
    END IF;
    SELECT * INTO m FROM latchkey.fga_mirror WHERE id = 1;
    IF NOT FOUND OR now() - m.synced_at > m.max_staleness THEN
        RETURN false;
    END IF;
    RETURN latchkey.fga_check(object_type, object_id, relation, m.user_type, who, '', 0, false);
END;
$$;

-- The ids of the objects of object_type on which the transaction's verified user has relation: for policies over
-- many rows, USING (id::text IN (SELECT latchkey.objects('note', 'viewer'))) runs once per statement instead of once
-- per row. Candidates are the objects connected to the user through tuples (every access path is such a chain:
-- direct, userset, tuple-to-userset, wildcard), each confirmed by the same check as latchkey.check, so the answer is
-- the same; the cost follows what the user can reach, not the table's size.
CREATE OR REPLACE FUNCTION latchkey.objects(object_type text, relation text) RETURNS SETOF text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who text := nullif(current_setting('latchkey.user_id', true), '');  -- a user only, never a client
    m latchkey.fga_mirror;
BEGIN
    IF who IS NULL THEN
        RETURN;
    END IF;
    SELECT * INTO m FROM latchkey.fga_mirror WHERE id = 1;
    IF NOT FOUND OR now() - m.synced_at > m.max_staleness THEN
        RETURN;
    END IF;
    RETURN QUERY
        WITH RECURSIVE reach(t, i) AS (
            VALUES (m.user_type, who), (m.user_type, '*')
            UNION
            SELECT x.object_type, x.object_id FROM reach JOIN latchkey.fga_tuples x ON x.user_type = reach.t AND x.user_id = reach.i
        )
        SELECT reach.i FROM reach
        WHERE reach.t = objects.object_type
          AND latchkey.fga_check(objects.object_type, reach.i, objects.relation, m.user_type, who, '', 0, false);
END;
$$;

-- The same question for any user (type:id or type:id#relation), for jobs and tests; still fails closed when stale.
CREATE OR REPLACE FUNCTION latchkey.check_user(object_type text, object_id text, relation text, user_type text, user_id text,
                                               user_relation text DEFAULT '') RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m latchkey.fga_mirror;
BEGIN
    SELECT * INTO m FROM latchkey.fga_mirror WHERE id = 1;
    IF NOT FOUND OR now() - m.synced_at > m.max_staleness THEN
        RETURN false;
    END IF;
    RETURN latchkey.fga_check(object_type, object_id, relation, user_type, user_id, user_relation, 0, false);
END;
$$;

REVOKE ALL ON FUNCTION latchkey.fga_check(text, text, text, text, text, text, int, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION latchkey.fga_eval(jsonb, text, text, text, text, text, text, int, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION latchkey.check(text, text, text) TO PUBLIC;
GRANT EXECUTE ON FUNCTION latchkey.objects(text, text) TO PUBLIC;
REVOKE ALL ON FUNCTION latchkey.check_user(text, text, text, text, text, text) FROM PUBLIC;
