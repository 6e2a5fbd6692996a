package dev.latchkey.core.token;

import java.util.List;
import java.util.Objects;

/**
 * What goes into an access token (RFC 9068 §2.2): the principal (a user's session or a client
 * acting for itself; {@link TokenPrincipal} decides which claims each has), the audience, the
 * client, the scope, and whether the client opted into {@code typ: JWT}.
 */
public record AccessTokenRequest(
        TokenPrincipal principal,
        List<String> audience,
        String clientId,
        String scope,
        boolean jwtTyped) {

    public AccessTokenRequest {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(clientId, "clientId");
        audience = audience == null ? List.of() : List.copyOf(audience);
        if (principal instanceof TokenPrincipal.Client c && !c.clientId().equals(clientId)) {
            throw new IllegalArgumentException("a client's own token names that client as client_id");
        }
    }

    /** A user's token, issued to {@code clientId} for the grant described by {@code subject}. */
    public static AccessTokenRequest forUser(TokenSubject subject, List<String> audience, String clientId, String scope, boolean jwtTyped) {
        return new AccessTokenRequest(TokenPrincipal.User.of(subject), audience, clientId, scope, jwtTyped);
    }

    /** A client's token for itself (client credentials): no session, no user. */
    public static AccessTokenRequest forClient(String clientId, List<String> audience, String scope, boolean jwtTyped) {
        return new AccessTokenRequest(new TokenPrincipal.Client(clientId), audience, clientId, scope, jwtTyped);
    }
}
