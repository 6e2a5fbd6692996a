-- The trigger V43 promised for the second owner kind: deleting a service account (directly, or with its
-- organization) deletes its API keys, like api_keys_owner_user_deleted does for users. The store's own
-- deletion removes them first and announces each live key on the revocation feed in the same transaction;
-- this trigger is the backstop for every other way a service account row goes away.
CREATE FUNCTION api_keys_service_account_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM api_keys WHERE owner_kind = 'service_account' AND owner_id = OLD.id;
    RETURN OLD;
END;
$$;
CREATE TRIGGER api_keys_owner_service_account_deleted AFTER DELETE ON service_accounts
    FOR EACH ROW EXECUTE FUNCTION api_keys_service_account_deleted();
