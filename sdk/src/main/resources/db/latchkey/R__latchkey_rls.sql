-- Latchkey row-level security functions (latchkey-sdk).
--
-- Idempotent: run it with `psql -f`, through dev.latchkey.sdk.rls.RlsSchema.install, or as a Flyway
-- repeatable migration (add classpath:db/latchkey to Flyway's locations).
--
-- The functions read the transaction-local settings that dev.latchkey.sdk.rls.IdentityDataSource sets
-- at the start of every transaction with set_config(name, value, true). They are STABLE and safe when
-- nothing is set: uid(), subject(), org_id() and claim() return NULL, roles() an empty array and
-- has_role(), has_permission() and is_client() false, so a transaction without a verified identity sees no row a policy protects.
--
-- A client acting for itself (a client_credentials token: sub_type "client", no sid) is no user: the SDK
-- sets latchkey.client_id and leaves latchkey.user_id, org_id and roles empty, so uid() and org_id() are
-- NULL and has_role() false for it, and only is_client() and subject() tell it is there.
-- A service account of an organization (sub_type "service_account", sub 'sa_<uuid>') is no user either:
-- the SDK sets latchkey.service_account_id, org_id, roles and claims, never user_id, so uid() is NULL,
-- is_service_account() true, principal_type() 'service_account', and has_role()/has_permission() answer
-- for its organization.
-- (After a transaction that set them, PostgreSQL reports the settings as '' rather than NULL: nullif
-- turns that back into NULL.)

CREATE SCHEMA IF NOT EXISTS latchkey;
GRANT USAGE ON SCHEMA latchkey TO PUBLIC;

-- The token's sub as text: a user id, the client id of a client acting for itself, or a service account's sa_<uuid>.
CREATE OR REPLACE FUNCTION latchkey.subject() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT coalesce(nullif(current_setting('latchkey.user_id', true), ''), nullif(current_setting('latchkey.client_id', true), ''),
                    nullif(current_setting('latchkey.service_account_id', true), ''))
$$;

-- True when the principal is an organization's service account.
CREATE OR REPLACE FUNCTION latchkey.is_service_account() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT nullif(current_setting('latchkey.service_account_id', true), '') IS NOT NULL
$$;

-- 'user', 'client' or 'service_account' (the introspection sub_type names); NULL when nothing is set.
CREATE OR REPLACE FUNCTION latchkey.principal_type() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE
               WHEN nullif(current_setting('latchkey.service_account_id', true), '') IS NOT NULL THEN 'service_account'
               WHEN nullif(current_setting('latchkey.client_id', true), '') IS NOT NULL THEN 'client'
               WHEN nullif(current_setting('latchkey.user_id', true), '') IS NOT NULL THEN 'user'
           END
$$;

-- True when the principal is a client acting for itself (a client_credentials token), not a user.
CREATE OR REPLACE FUNCTION latchkey.is_client() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT nullif(current_setting('latchkey.client_id', true), '') IS NOT NULL
$$;

-- The user id as a uuid; NULL when unset, for a client acting for itself, and when sub is not a UUID.
CREATE OR REPLACE FUNCTION latchkey.uid() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE
               WHEN s ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
                    AND nullif(current_setting('latchkey.client_id', true), '') IS NULL
                    AND nullif(current_setting('latchkey.service_account_id', true), '') IS NULL THEN s::uuid
           END
    FROM (SELECT nullif(current_setting('latchkey.user_id', true), '') AS s) AS setting
$$;

-- The token's org: the organization its roles apply to.
CREATE OR REPLACE FUNCTION latchkey.org_id() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT nullif(current_setting('latchkey.org_id', true), '')
$$;

-- The token's roles (in org_id()); empty when unset.
CREATE OR REPLACE FUNCTION latchkey.roles() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT ARRAY(SELECT jsonb_array_elements_text(nullif(current_setting('latchkey.roles', true), '')::jsonb))
$$;

-- True when the token has the role; false when unset.
CREATE OR REPLACE FUNCTION latchkey.has_role(text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT coalesce($1 = ANY (latchkey.roles()), false)
$$;

-- Any claim of the verified token, as jsonb; NULL when absent or unset.
CREATE OR REPLACE FUNCTION latchkey.claim(text) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT nullif(current_setting('latchkey.claims', true), '')::jsonb -> $1
$$;

-- Any claim of the verified token, as text (strings unquoted); NULL when absent or unset.
CREATE OR REPLACE FUNCTION latchkey.claim_text(text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT nullif(current_setting('latchkey.claims', true), '')::jsonb ->> $1
$$;

-- True when a user's token has the permission (resource:action, e.g. 'notes:write') among its permissions
-- (those of its org_id()); false when unset, for a token without permissions, and for a client acting for itself.
-- Exact strings: Latchkey permissions have no wildcards.
CREATE OR REPLACE FUNCTION latchkey.has_permission(text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT coalesce(NOT latchkey.is_client()
                    AND jsonb_typeof(latchkey.claim('permissions')) = 'array'
                    AND $1 IN (SELECT jsonb_array_elements_text(latchkey.claim('permissions'))), false)
$$;
