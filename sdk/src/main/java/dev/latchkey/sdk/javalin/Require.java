package dev.latchkey.sdk.javalin;

import dev.latchkey.sdk.http.Guard;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Objects;
import java.util.function.Function;

/**
 * Guards as Javalin route roles, checked by {@link LatchkeyPlugin} before the matched handler:
 * {@code config.routes.get("/notes", handler, Require.scope("notes:read"))}.
 *
 * @param guard the condition
 */
public record Require(Guard<Context> guard) implements RouteRole {
    public Require {
        Objects.requireNonNull(guard, "guard");
    }

    public static Require auth() {
        return new Require(Guard.requireAuth());
    }

    /** A user's token; a client's own ({@code client_credentials}) gets 403. */
    public static Require user() {
        return new Require(Guard.requireUser());
    }

    /** A client's own token (a machine); a user's gets 403. */
    public static Require client() {
        return new Require(Guard.requireClient());
    }

    public static Require scope(String... scopes) {
        return new Require(Guard.requireScope(scopes));
    }

    public static Require role(String role) {
        return new Require(Guard.requireRole(role));
    }

    /** {@link Guard#requireAcr}: a sign-in of one of these classes, e.g. {@code urn:latchkey:acr:mfa} (401 step-up otherwise). */
    public static Require acr(String... acceptable) {
        return new Require(Guard.requireAcr(acceptable));
    }

    /** {@link Guard#requireRecentAuth}: the user authenticated at most {@code maxAge} ago (401 step-up otherwise). */
    public static Require recentAuth(java.time.Duration maxAge) {
        return new Require(Guard.requireRecentAuth(maxAge));
    }

    public static Require permission(String permission) {
        return new Require(Guard.requirePermission(permission));
    }

    /** The owner user id, as {@code ownerOf} finds it from the request, must be the user of a user's token. */
    public static Require ownership(Function<Context, String> ownerOf) {
        return new Require(Guard.requireOwnership(ownerOf));
    }
}
