package dev.latchkey.server.relations;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Scopes;
import dev.latchkey.core.token.AccessTokenVerifier;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Authorization of the relations API ({@code Authorization: Bearer …}): an admin API key ({@code lka_…}, or the
 * bootstrap key) may do everything; a client-credentials access token of this issuer may do everything with scope
 * {@value #SCOPE} and read-only calls (every query, reads, model and change reads) with {@value #READ_SCOPE}.
 * Its audience must include the issuer (Latchkey's default). User tokens are refused: tuples are written by
 * services, not by end users.
 */
final class FgaAccess {
    static final String SCOPE = "latchkey:fga";
    static final String READ_SCOPE = "latchkey:fga:read";

    private final Predicate<String> adminKey;
    private final AccessTokenVerifier verifier;
    private final String issuer;

    FgaAccess(Predicate<String> adminKey, AccessTokenVerifier verifier, String issuer) {
        this.adminKey = adminKey;
        this.verifier = verifier;
        this.issuer = issuer;
    }

    FgaPrincipal authenticate(Context ctx, boolean write) {
        String h = ctx.header("Authorization");
        String token = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
        if (token == null || token.isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.UNAUTHENTICATED,
                    "Authorization: Bearer with an admin API key or an access token with scope " + SCOPE + " is required.", "no credentials");
        }
        if (adminKey.test(token)) {
            return new FgaPrincipal("admin key", true, Optional.empty());
        }
        if (token.startsWith("lka_")) {
            throw LatchkeyException.withMessage(ErrorCode.UNAUTHENTICATED, "The admin API key is not valid.", "wrong admin key");
        }
        AccessTokenVerifier.Claims c = verifier.tryVerify(token).orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.UNAUTHENTICATED,
                "The access token is not valid.", "invalid token"));
        if (c.clientId() == null || !c.clientId().equals(c.subject()) || c.sessionId() != null) {
            throw LatchkeyException.withMessage(ErrorCode.FORBIDDEN, "Only client-credentials tokens may use the relations API.", "user token");
        }
        if (c.audience() == null || !c.audience().contains(issuer)) {
            throw LatchkeyException.withMessage(ErrorCode.FORBIDDEN, "The token's audience does not include " + issuer + ".", "audience");
        }
        Set<String> scopes = Set.copyOf(Scopes.parse(c.scope() == null ? "" : c.scope()));
        boolean full = scopes.contains(SCOPE);
        if (!full && !(scopes.contains(READ_SCOPE) && !write)) {
            throw LatchkeyException.withMessage(ErrorCode.INSUFFICIENT_SCOPE, "The token needs scope " + (write ? SCOPE : SCOPE + " or " + READ_SCOPE)
                    + ".", "scope");
        }
        return new FgaPrincipal("client " + c.clientId(), full, Optional.empty());
    }
}
