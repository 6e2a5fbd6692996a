package dev.latchkey.server.admin;

import dev.latchkey.core.apikey.ApiKeyOwner;
import dev.latchkey.core.apikey.ApiKeys;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.ServiceAccounts;
import dev.latchkey.server.apikey.ApiKeysAdminApi;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.Requests;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.UUID;

/**
 * A service account's API keys in the admin API, under its organization (so an organization's admin key reaches
 * them, and only its own): {@code POST /admin/v1/orgs/{id}/service-accounts/{sa}/api-keys} makes one (201, the
 * key's text in {@code "key"}, shown once), {@code GET} lists them (never their text), {@code DELETE …/{key}}
 * revokes one (204). An account of another organization is 404, as everywhere under {@code /orgs/{id}}; a new key
 * belongs to the account's organization.
 */
public final class ServiceAccountApiKeysAdminApi implements ApiKeysAdminApi.Owners {
    static final String BASE = "/admin/v1/orgs/{id}/service-accounts/{sa}/api-keys";
    private final ServiceAccounts accounts;

    private ServiceAccountApiKeysAdminApi(ServiceAccounts accounts) {
        this.accounts = accounts;
    }

    /** The routes, served by the one {@link ApiKeysAdminApi}. */
    public static ApiKeysAdminApi endpoints(ApiKeys keys, ServiceAccounts accounts, JsonBodies bodies, Requests requests, Clock clock) {
        return new ApiKeysAdminApi(BASE, new ServiceAccountApiKeysAdminApi(accounts), keys, bodies, requests, clock);
    }

    /** The account in the path, which must be of the organization in the path (404 otherwise). */
    @Override
    public ApiKeyOwner owner(Context ctx) {
        UUID org = RolesAdminApi.org(ctx);
        UUID sa = ApiKeysAdminApi.id(ctx.pathParam("sa"), "No such service account.");
        accounts.get(org, sa);
        return new ApiKeyOwner.ServiceAccount(sa);
    }

    @Override
    public UUID organization(Context ctx, UUID asked) {
        UUID org = RolesAdminApi.org(ctx);
        if (asked != null && !asked.equals(org)) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                    "A service account's key belongs to the account's organization: \"organization\" may only name it.", "sa key for other org");
        }
        return org;
    }
}
