package dev.latchkey.sdk.rls;

import com.nimbusds.jose.util.JSONArrayUtils;
import dev.latchkey.sdk.token.VerifiedToken;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The identity a transaction runs as, in the form PostgreSQL sees it: {@code latchkey.user_id},
 * {@code latchkey.org_id}, {@code latchkey.roles} (a JSON array) and {@code latchkey.claims} (the token's
 * payload as signed). Usually {@link #of(VerifiedToken) derived from a verified token}; a background job
 * acting for a user may build one directly.
 *
 * @param subject      the user id ({@code sub}); {@code latchkey.uid()} is NULL when it is not a UUID
 * @param organization the {@code org} the roles apply to
 * @param roles        roles in that organization
 * @param claimsJson   a JSON object for {@code latchkey.claim(name)}
 */
public record DatabaseIdentity(String subject, Optional<String> organization, Set<String> roles, String claimsJson) {
    public DatabaseIdentity {
        Objects.requireNonNull(subject, "subject");
        if (subject.isEmpty()) {
            throw new IllegalArgumentException("subject must not be empty");
        }
        Objects.requireNonNull(organization, "organization");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(claimsJson, "claimsJson");
    }

    public static DatabaseIdentity of(VerifiedToken token) {
        return new DatabaseIdentity(token.subject(), token.organization(), token.roles(), token.claims().json());
    }

    /** {@code latchkey.roles}: a JSON array, so role names may contain any character. Sorted for stable output. */
    String rolesJson() {
        return JSONArrayUtils.toJSONString(List.copyOf(new TreeSet<>(roles)));
    }

    @Override
    public String toString() {
        return "DatabaseIdentity[sub=" + subject + ", org=" + organization.orElse("-") + ", roles=" + roles + "]";
    }
}
