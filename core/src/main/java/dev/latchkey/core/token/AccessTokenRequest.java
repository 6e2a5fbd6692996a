package dev.latchkey.core.token;

import java.util.List;
import java.util.Objects;

/**
 * What goes into an access token (RFC 9068 §2.2): the subject (a user id, or a client id for
 * client credentials), the audience, the client, the session, the scope and Latchkey's own
 * claims: organization, roles and the user's security version.
 */
public record AccessTokenRequest(
        String subject,
        List<String> audience,
        String clientId,
        String sessionId,
        String scope,
        String org,
        List<String> roles,
        Integer securityVersion,
        boolean jwtTyped) {

    public AccessTokenRequest {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        audience = audience == null ? List.of() : List.copyOf(audience);
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** An RFC 9068 access token ({@code typ: at+jwt}). */
    public AccessTokenRequest(String subject, List<String> audience, String clientId, String sessionId, String scope, String org,
                              List<String> roles, Integer securityVersion) {
        this(subject, audience, clientId, sessionId, scope, org, roles, securityVersion, false);
    }
}
