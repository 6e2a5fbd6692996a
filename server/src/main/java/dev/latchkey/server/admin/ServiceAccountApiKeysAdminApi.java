package dev.latchkey.server.admin;

import dev.latchkey.core.apikey.ApiKeyOwner;
import dev.latchkey.core.apikey.ApiKeys;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.ServiceAccounts;
import dev.latchkey.server.apikey.ApiKeyViews;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * A service account's API keys in the admin API, under its organization (so an organization's admin key reaches
 * them, and only its own): {@code POST /admin/v1/orgs/{id}/service-accounts/{sa}/api-keys} makes one (201, the
 * key's text in {@code "key"}, shown once), {@code GET} lists them (never their text), {@code DELETE …/{key}}
 * revokes one (204). An account of another organization is 404, as everywhere under {@code /orgs/{id}}.
 */
public final class ServiceAccountApiKeysAdminApi implements Endpoints {
    static final String BASE = "/admin/v1/orgs/{id}/service-accounts/{sa}/api-keys";
    private final ApiKeys keys;
    private final ServiceAccounts accounts;
    private final JsonBodies bodies;
    private final JsonResponses responses;
    private final Requests requests;
    private final Clock clock;

    public ServiceAccountApiKeysAdminApi(ApiKeys keys, ServiceAccounts accounts, JsonBodies bodies, Requests requests, Clock clock) {
        this.keys = keys;
        this.accounts = accounts;
        this.bodies = bodies;
        this.responses = new JsonResponses(bodies.mapper());
        this.requests = requests;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(BASE, this::create);
        r.get(BASE, ctx -> responses.write(ctx, 200, Map.of("api_keys",
                keys.list(owner(ctx)).stream().map(k -> ApiKeyViews.render(k, clock.instant())).toList())));
        r.delete(BASE + "/{key}", ctx -> {
            keys.revoke(owner(ctx), uuid(ctx.pathParam("key"), "No such API key."), requests.context(ctx));
            ctx.status(204);
        });
    }

    void create(Context ctx) {
        UUID org = RolesAdminApi.org(ctx);
        ApiKeyOwner owner = owner(ctx);
        ApiKeyViews.CreateBody b = bodies.read(ctx, ApiKeyViews.CreateBody.class);
        if (b.orgId() != null && !b.orgId().equals(org)) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                    "A service account's key belongs to the account's organization: \"organization\" may only name it.", "sa key for other org");
        }
        ApiKeys.Created c = keys.create(new ApiKeys.NewKey(owner, b.name(), b.scope(), b.permissions(), org, b.lifetime()),
                requests.context(ctx));
        ctx.header("Cache-Control", "no-store");
        responses.write(ctx, 201, ApiKeyViews.created(c, clock.instant()));
    }

    /** The account in the path, which must be of the organization in the path (404 otherwise). */
    private ApiKeyOwner owner(Context ctx) {
        UUID org = RolesAdminApi.org(ctx);
        UUID sa = uuid(ctx.pathParam("sa"), "No such service account.");
        accounts.get(org, sa);
        return new ApiKeyOwner.ServiceAccount(sa);
    }

    private static UUID uuid(String s, String message) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, message, "malformed id");
        }
    }
}
