package dev.latchkey.core.oauth.token;

import dev.latchkey.core.org.OrgCustomClaims;
import dev.latchkey.core.token.TokenPrincipal;
import java.time.Instant;
import java.util.List;

/**
 * An introspection answer (RFC 7662 §2.2); an inactive token reveals nothing else. {@code subjectType}
 * says whether {@code sub} is a user or a client acting for itself ({@code sub_type}, {@link TokenPrincipal});
 * {@code org roles permissions org_claims} are the access token's (RFC 7662 §2.2 allows other claims of the token).
 */
public record Introspection(boolean active, String tokenType, String scope, String clientId, String subject, String username,
                            Instant expiresAt, Instant issuedAt, List<String> audience, String issuer, String jti, String sessionId,
                            TokenPrincipal.Kind subjectType, String org, List<String> roles, List<String> permissions,
                            OrgCustomClaims orgClaims) {
    public static final Introspection INACTIVE = new Introspection(false, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null);
}
