package dev.latchkey.sdk.rls;

import com.nimbusds.jose.util.JSONArrayUtils;
import dev.latchkey.sdk.token.PrincipalKind;
import dev.latchkey.sdk.token.VerifiedToken;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The identity a transaction runs as, in the form PostgreSQL sees it: {@code latchkey.user_id} (a user's id,
 * never set for a client), {@code latchkey.client_id} (a client acting for itself, never set for a user),
 * {@code latchkey.org_id}, {@code latchkey.roles} (a JSON array) and {@code latchkey.claims} (the token's payload
 * as signed). Usually {@link #of(VerifiedToken) derived from a verified token}; a background job acting for a
 * user may build one directly.
 *
 * <p>A client's identity ({@link PrincipalKind#CLIENT}, from a {@code client_credentials} token) carries no
 * user, organization or roles: {@code latchkey.uid()} and {@code latchkey.org_id()} are NULL,
 * {@code latchkey.has_role(...)} is false, {@code latchkey.is_client()} is true, and {@code latchkey.subject()}
 * is its client id. So a policy written for users never matches a machine.
 *
 * <p>A service account's identity ({@link PrincipalKind#SERVICE_ACCOUNT}) sets {@code latchkey.service_account_id}
 * (its {@code sa_<uuid>} subject), {@code org_id}, {@code roles} and the claims, never {@code user_id}:
 * {@code latchkey.uid()} is NULL, {@code latchkey.is_service_account()} true, {@code latchkey.principal_type()}
 * {@code 'service_account'}, and {@code has_role}/{@code has_permission} answer for its organization.
 *
 * @param subject      the user id ({@code sub}) or, for a client, its client id; {@code latchkey.uid()} is NULL
 *                     for a client, and for a user whose id is not a UUID
 * @param organization the {@code org} the roles apply to (always empty for a client)
 * @param roles        roles in that organization (always empty for a client)
 * @param claimsJson   a JSON object for {@code latchkey.claim(name)}
 * @param kind         whether {@code subject} is a user or a client
 */
public record DatabaseIdentity(String subject, Optional<String> organization, Set<String> roles, String claimsJson, PrincipalKind kind) {
    public DatabaseIdentity {
        Objects.requireNonNull(subject, "subject");
        if (subject.isEmpty()) {
            throw new IllegalArgumentException("subject must not be empty");
        }
        Objects.requireNonNull(organization, "organization");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(claimsJson, "claimsJson");
        Objects.requireNonNull(kind, "kind");
        if (kind == PrincipalKind.CLIENT && (organization.isPresent() || !roles.isEmpty())) {
            throw new IllegalArgumentException("a client's identity has no organization or roles");
        }
    }

    /** A user's identity. */
    public DatabaseIdentity(String subject, Optional<String> organization, Set<String> roles, String claimsJson) {
        this(subject, organization, roles, claimsJson, PrincipalKind.USER);
    }

    /** A client acting for itself (e.g. a job with a {@code client_credentials} token): no user, no organization, no roles. */
    public static DatabaseIdentity client(String clientId, String claimsJson) {
        return new DatabaseIdentity(clientId, Optional.empty(), Set.of(), claimsJson, PrincipalKind.CLIENT);
    }

    /** The identity of a verified token: a user's, a service account's, or (for a client's own token) a client's. */
    public static DatabaseIdentity of(VerifiedToken token) {
        if (token.isServiceAccount()) {
            return new DatabaseIdentity(token.subject(), token.organization(), token.roles(), token.claims().json(),
                    PrincipalKind.SERVICE_ACCOUNT);
        }
        return token.isUser()
                ? new DatabaseIdentity(token.subject(), token.organization(), token.roles(), token.claims().json(), PrincipalKind.USER)
                : client(token.subject(), token.claims().json());
    }

    /** {@code latchkey.user_id}: the user's id, or empty for a client. */
    String userIdSetting() {
        return kind == PrincipalKind.USER ? subject : "";
    }

    /** {@code latchkey.service_account_id}: the service account's subject, or empty for anyone else. */
    String serviceAccountSetting() {
        return kind == PrincipalKind.SERVICE_ACCOUNT ? subject : "";
    }

    /** {@code latchkey.client_id}: the client's id, or empty for a user. */
    String clientIdSetting() {
        return kind == PrincipalKind.CLIENT ? subject : "";
    }

    /** {@code latchkey.roles}: a JSON array, so role names may contain any character. Sorted for stable output. */
    String rolesJson() {
        return JSONArrayUtils.toJSONString(List.copyOf(new TreeSet<>(roles)));
    }

    @Override
    public String toString() {
        return "DatabaseIdentity[" + kind.name().toLowerCase(java.util.Locale.ROOT) + " sub=" + subject + ", org="
                + organization.orElse("-") + ", roles=" + roles + "]";
    }
}
