package dev.latchkey.sdk.token;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An access token whose signature, issuer, audience and validity window were verified (RFC 9068 §4):
 * the principal a request acts for. Immutable.
 *
 * @param subject          {@code sub}: the user id (a UUID string); for a {@code client_credentials} token, the client id
 * @param clientId         {@code client_id} (RFC 9068 §2.2); empty only from a verifier built with {@code clientIdRequired(false)}
 * @param sessionId        {@code sid}, when the token belongs to a login session
 * @param organization     {@code org}: the organization the roles apply to
 * @param roles            {@code roles}: the subject's roles in {@code org}
 * @param permissions      {@code permissions}
 * @param scopes           {@code scope}, split on spaces (RFC 9068 §2.2.3, RFC 6749 §3.3)
 * @param securityVersion  {@code ver}: the user's security version, bumped on password change, disable or role change
 * @param tokenId          {@code jti}
 * @param audience         {@code aud}
 * @param issuedAt         {@code iat}
 * @param expiresAt        {@code exp}
 * @param claims           every claim, for custom ones
 */
public record VerifiedToken(
        String subject,
        String clientId,
        Optional<String> sessionId,
        Optional<String> organization,
        Set<String> roles,
        Set<String> permissions,
        Set<String> scopes,
        OptionalLong securityVersion,
        String tokenId,
        List<String> audience,
        Instant issuedAt,
        Instant expiresAt,
        Claims claims) {

    public VerifiedToken {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(organization, "organization");
        roles = Set.copyOf(roles);
        permissions = Set.copyOf(permissions);
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(securityVersion, "securityVersion");
        Objects.requireNonNull(tokenId, "tokenId");
        audience = List.copyOf(audience);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(claims, "claims");
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }

    @Override
    public String toString() {
        return "VerifiedToken[sub=" + subject + ", client_id=" + clientId + ", org=" + organization.orElse("-")
                + ", jti=" + tokenId + ", exp=" + expiresAt + "]";
    }
}
