-- An admin API key may be bound to one organization (docs/authorization.md, "Org-scoped administration"):
-- it reaches only /admin/v1/orgs/{that id}/... . Deleting the organization deletes its keys.
ALTER TABLE admin_api_keys ADD COLUMN org_id uuid REFERENCES organizations (id) ON DELETE CASCADE;
CREATE INDEX admin_api_keys_org_idx ON admin_api_keys (org_id) WHERE org_id IS NOT NULL;
