-- Service accounts: non-human principals owned by an organization. Their tokens say
-- sub = 'sa_' || id and sub_type = 'service_account'; roles are the organization's role names,
-- resolved to permissions like a member's.
CREATE TABLE service_accounts (
    id          uuid        PRIMARY KEY,
    org_id      uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text        CHECK (length(description) <= 200),
    roles       text[]      NOT NULL DEFAULT '{}',
    disabled_at timestamptz,
    created_at  timestamptz NOT NULL
);
CREATE INDEX service_accounts_org ON service_accounts (org_id, id);

-- Disabling or deleting a service account is announced on the revocation feed (kind
-- service_account_disabled, subject 'sa_' || id), so verifiers refuse its tokens at once.
ALTER TABLE revocations DROP CONSTRAINT revocations_kind_check;
ALTER TABLE revocations ADD CONSTRAINT revocations_kind_check
    CHECK (kind IN ('session', 'user_version', 'user_disabled', 'user_deleted', 'roles_changed', 'service_account_disabled'));

-- Confidential client_credentials clients owned by a service account: their tokens are the account's.
-- Deleting the account (or its organization) deletes its clients with it, so none of them can go on
-- as a client acting for itself.
ALTER TABLE oauth_clients ADD COLUMN service_account_id uuid REFERENCES service_accounts (id) ON DELETE CASCADE;
CREATE INDEX oauth_clients_service_account ON oauth_clients (service_account_id) WHERE service_account_id IS NOT NULL;
