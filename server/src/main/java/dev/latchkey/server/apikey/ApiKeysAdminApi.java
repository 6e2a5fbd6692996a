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
import java.util.Objects;
import java.util.UUID;

/**
 * An owner's API keys in the admin API (behind {@code AdminApi}'s authentication of {@code /admin/v1/*}):
 * {@code POST <base>} makes one (201, the key's text in {@code "key"}, shown once, {@code Cache-Control: no-store}),
 * {@code GET <base>} lists them (never their text), {@code DELETE <base>/{key id}} revokes one (204). The same
 * routes serve a user's keys ({@link #forUsers}, {@code /admin/v1/users/{id}/api-keys}) and a service account's
 * ({@code ServiceAccountApiKeysAdminApi}); only whose keys they are, and which organization a new one gets, differ.
 */
public final class ApiKeysAdminApi implements Endpoints {
    /** Whose keys a request's path names, and the organization of a new key. */
    public interface Owners {
        /** The owner in the path, who must exist (404 otherwise). */
        ApiKeyOwner owner(Context ctx);

        /** The organization a new key gets, given the one the body asks for (null: none asked). */
        UUID organization(Context ctx, UUID asked);
    }

    private final String base;
    private final Owners owners;
    private final ApiKeys keys;
    private final JsonBodies bodies;
    private final JsonResponses responses;
    private final Requests requests;
    private final Clock clock;

    public ApiKeysAdminApi(String base, Owners owners, ApiKeys keys, JsonBodies bodies, Requests requests, Clock clock) {
        this.base = Objects.requireNonNull(base, "base");
        this.owners = Objects.requireNonNull(owners, "owners");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.bodies = bodies;
        this.responses = new JsonResponses(bodies.mapper());
        this.requests = requests;
        this.clock = clock;
    }

    /** A user's keys, under {@code /admin/v1/users/{id}/api-keys}; a key's organization is the one the body names. */
    public static ApiKeysAdminApi forUsers(ApiKeys keys, AccountService accounts, JsonBodies bodies, Requests requests, Clock clock) {
        return new ApiKeysAdminApi("/admin/v1/users/{id}/api-keys", new Owners() {
            @Override
            public ApiKeyOwner owner(Context ctx) {
                UUID id = id(ctx.pathParam("id"), "No such user.");
                try {
                    accounts.get(id);
                } catch (LatchkeyException e) {
                    throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such user.", "api keys of unknown user");
                }
                return new ApiKeyOwner.User(id);
            }

            @Override
            public UUID organization(Context ctx, UUID asked) {
                return asked;
            }
        }, keys, bodies, requests, clock);
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(base, this::create);
        r.get(base, ctx -> responses.write(ctx, 200, Map.of("api_keys",
                keys.list(owners.owner(ctx)).stream().map(k -> ApiKeyViews.render(k, clock.instant())).toList())));
        r.delete(base + "/{key}", ctx -> {
            keys.revoke(owners.owner(ctx), id(ctx.pathParam("key"), "No such API key."), requests.context(ctx));
            ctx.status(204);
        });
    }

    void create(Context ctx) {
        ApiKeyOwner owner = owners.owner(ctx);
        ApiKeyViews.CreateBody b = bodies.read(ctx, ApiKeyViews.CreateBody.class);
        ApiKeys.Created c = keys.create(new ApiKeys.NewKey(owner, b.name(), b.scope(), b.permissions(), owners.organization(ctx, b.orgId()),
                b.lifetime()), requests.context(ctx));
        ctx.header("Cache-Control", "no-store");
        responses.write(ctx, 201, ApiKeyViews.created(c, clock.instant()));
    }

    /** An id in the path; a malformed one is an unknown one (404 with {@code message}). */
    public static UUID id(String s, String message) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, message, "malformed id");
        }
    }
}
