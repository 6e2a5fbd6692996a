package dev.latchkey.sdk.token;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An access token whose signature, issuer, audience and validity window were verified (RFC 9068 §4):
 * the principal a request acts for. Immutable. It is a user's or a client's ({@link #kind()}): only a user's
 * token names a user ({@link #userId()}) or has roles; a client's token ({@code client_credentials}) is a
 * machine acting for itself and never passes for a user.
 *
 * @param subject          {@code sub}: the user id (a UUID string); for a client's own token, the client id
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
 * @param claims           every claim, for custom ones ({@link #orgClaims()} for the organization's)
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

    /** {@code acr}: the authentication context class of the sign-in (e.g. {@code urn:latchkey:acr:mfa}). */
    public Optional<String> acr() {
        return claims.string("acr");
    }

    /** {@code amr} (RFC 8176): how the user signed in, e.g. {@code [pwd, otp, mfa]}; empty for a client's token. */
    public List<String> amr() {
        return claims.strings("amr");
    }

    /** {@code auth_time}: when the user last authenticated (OIDC Core §2; RFC 9068 §2.2.1). */
    public Optional<Instant> authTime() {
        OptionalLong t = claims.number("auth_time");
        return t.isPresent() ? Optional.of(Instant.ofEpochSecond(t.getAsLong())) : Optional.empty();
    }

    /**
     * {@code org_claims}: the custom claims an administrator set on {@link #organization()} (a flat object of strings,
     * numbers and booleans, e.g. {@code plan}), read with {@link Claims}' typed getters; empty when the token has none.
     *
     * @throws IllegalStateException when {@code org_claims} is present and not a JSON object
     */
    public Claims orgClaims() {
        return claims.object("org_claims");
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** {@link PrincipalKind#USER} only for a user's token: it has a {@code sid} and no {@code sub_type}. */
    public PrincipalKind kind() {
        return PrincipalKind.of(sessionId, claims);
    }

    public boolean isUser() {
        return kind() == PrincipalKind.USER;
    }

    /** A client acting for itself ({@code client_credentials}): no user, {@code subject} is its client id. */
    public boolean isClient() {
        return kind() == PrincipalKind.CLIENT;
    }

    /** An organization's service account ({@code sub_type: "service_account"}): never a user; {@code subject} is {@code sa_<uuid>}. */
    public boolean isServiceAccount() {
        return kind() == PrincipalKind.SERVICE_ACCOUNT;
    }

    /** The user id ({@code sub}) of a user's token; empty for a client's. */
    public Optional<String> userId() {
        return isUser() ? Optional.of(subject) : Optional.empty();
    }

    /**
     * Whether the user (or service account) has {@code role} in {@code org}; always false for a client's own
     * token (roles are a user's or a service account's).
     */
    public boolean hasRole(String role) {
        return (isUser() || isServiceAccount()) && roles.contains(role);
    }

    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }

    @Override
    public String toString() {
        return "VerifiedToken[" + kind().name().toLowerCase(java.util.Locale.ROOT) + " sub=" + subject + ", client_id=" + clientId
                + ", org=" + organization.orElse("-")
                + ", jti=" + tokenId + ", exp=" + expiresAt + "]";
    }
}
