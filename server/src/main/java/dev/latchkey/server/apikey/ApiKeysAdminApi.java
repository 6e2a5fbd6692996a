package dev.latchkey.server.apikey;

import dev.latchkey.core.account.AccountService;
import dev.latchkey.core.apikey.ApiKeyOwner;
import dev.latchkey.core.apikey.ApiKeys;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
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
 * A user's API keys in the admin API (behind {@code AdminApi}'s authentication of {@code /admin/v1/*}):
 * {@code POST /admin/v1/users/{id}/api-keys} makes one (201, the key's text in {@code "key"}, shown once),
 * {@code GET} lists them (never their text), {@code DELETE …/{key id}} revokes one (204).
 */
public final class ApiKeysAdminApi implements Endpoints {
    private final ApiKeys keys;
    private final AccountService accounts;
    private final JsonBodies bodies;
    private final JsonResponses responses;
    private final Requests requests;
    private final Clock clock;

    public ApiKeysAdminApi(ApiKeys keys, AccountService accounts, JsonBodies bodies, Requests requests, Clock clock) {
        this.keys = keys;
        this.accounts = accounts;
        this.bodies = bodies;
        this.responses = new JsonResponses(bodies.mapper());
        this.requests = requests;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig r) {
        String base = "/admin/v1/users/{id}/api-keys"; // under AdminApi.BASE, so behind its authentication
        r.post(base, this::create);
        r.get(base, ctx -> responses.write(ctx, 200, Map.of("api_keys",
                keys.list(owner(ctx)).stream().map(k -> ApiKeyViews.render(k, clock.instant())).toList())));
        r.delete(base + "/{key}", ctx -> {
            keys.revoke(owner(ctx), uuid(ctx.pathParam("key"), "No such API key."), requests.context(ctx));
            ctx.status(204);
        });
    }

    void create(Context ctx) {
        ApiKeyOwner owner = owner(ctx);
        ApiKeyViews.CreateBody b = bodies.read(ctx, ApiKeyViews.CreateBody.class);
        ApiKeys.Created c = keys.create(new ApiKeys.NewKey(owner, b.name(), b.scope(), b.permissions(), b.orgId(), b.lifetime()),
                requests.context(ctx));
        ctx.header("Cache-Control", "no-store");
        responses.write(ctx, 201, ApiKeyViews.created(c, clock.instant()));
    }

    /** The user in the path, who must exist. */
    private ApiKeyOwner owner(Context ctx) {
        UUID id = uuid(ctx.pathParam("id"), "No such user.");
        try {
            accounts.get(id);
        } catch (LatchkeyException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such user.", "api keys of unknown user");
        }
        return new ApiKeyOwner.User(id);
    }

    private static UUID uuid(String s, String message) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, message, "malformed id");
        }
    }
}
