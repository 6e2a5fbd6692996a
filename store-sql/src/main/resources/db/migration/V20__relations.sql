-- Relationship-based authorization (docs/relations.md): OpenFGA-style stores, immutable models, tuples and a
-- change log. A store belongs to the deployment, or to one organization (org_id).
CREATE TABLE fga_stores (
    id         text        PRIMARY KEY,                  -- a ULID, as OpenFGA's clients expect
    name       text        NOT NULL,
    org_id     uuid        REFERENCES organizations (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX fga_stores_org_idx ON fga_stores (org_id) WHERE org_id IS NOT NULL;

-- Models never change once written; the newest (greatest ULID) is the store's current one.
CREATE TABLE fga_models (
    store_id   text        NOT NULL REFERENCES fga_stores (id) ON DELETE CASCADE,
    id         text        NOT NULL,
    model      text        NOT NULL,                     -- OpenFGA JSON (type_definitions, conditions)
    created_at timestamptz NOT NULL,
    PRIMARY KEY (store_id, id)
);

-- One row per tuple object#relation@user. The primary key serves check's lookups by object and relation;
-- fga_tuples_user_idx serves list-objects' lookups by user; the partial index finds usersets on an object
-- without scanning its direct users.
CREATE TABLE fga_tuples (
    store_id          text        NOT NULL REFERENCES fga_stores (id) ON DELETE CASCADE,
    object_type       text        NOT NULL,
    object_id         text        NOT NULL,
    relation          text        NOT NULL,
    user_type         text        NOT NULL,
    user_id           text        NOT NULL,
    user_relation     text        NOT NULL DEFAULT '',   -- '' unless the user is a userset (group:eng#member)
    condition_name    text,
    condition_context text,                              -- JSON object, when the condition has one
    ulid              text        NOT NULL,              -- write order, for reads page by page
    inserted_at       timestamptz NOT NULL,
    PRIMARY KEY (store_id, object_type, object_id, relation, user_type, user_id, user_relation)
);
CREATE INDEX fga_tuples_user_idx ON fga_tuples (store_id, user_type, user_id, user_relation, relation, object_type);
CREATE INDEX fga_tuples_usersets_idx ON fga_tuples (store_id, object_type, object_id, relation) WHERE user_relation <> '';
CREATE INDEX fga_tuples_ulid_idx ON fga_tuples (store_id, ulid);

-- The change log, read by position (GET /stores/{id}/changes, and the SDK's relation mirror). Writers take a
-- per-store transaction-level advisory lock just before they append, so entries of one store become visible
-- in seq order (see PgRelationStore.write): a reader that has seen seq N misses nothing by asking for > N.
CREATE TABLE fga_changes (
    seq               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id          text        NOT NULL REFERENCES fga_stores (id) ON DELETE CASCADE,
    operation         text        NOT NULL CHECK (operation IN ('write', 'delete')),
    object_type       text        NOT NULL,
    object_id         text        NOT NULL,
    relation          text        NOT NULL,
    user_type         text        NOT NULL,
    user_id           text        NOT NULL,
    user_relation     text        NOT NULL,
    condition_name    text,
    condition_context text,
    at                timestamptz NOT NULL
);
CREATE INDEX fga_changes_store_idx ON fga_changes (store_id, seq);
