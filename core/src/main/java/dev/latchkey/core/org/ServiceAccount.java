package dev.latchkey.core.org;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A non-human principal owned by an organization: its tokens carry {@code sub = "sa_<id>"} and
 * {@code sub_type: "service_account"} ({@link dev.latchkey.core.token.TokenPrincipal.ServiceAccount}),
 * and its {@code roles} are role names of its organization, resolved to permissions as a member's are.
 */
public record ServiceAccount(UUID id, UUID orgId, String name, String description, List<String> roles, Instant disabledAt,
                             Instant createdAt) {
    public static final int MAX_ROLES = 32;

    public ServiceAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(createdAt, "createdAt");
        name = name == null ? null : name.strip();
        if (name == null || name.isEmpty() || name.length() > 200) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "A service account needs a name of 1-200 characters.", "bad sa name");
        }
        description = description == null || description.isBlank() ? null : description.strip();
        if (description != null && description.length() > 200) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "A service account description has at most 200 characters.",
                    "long sa description");
        }
        roles = roles == null ? List.of() : roles.stream().distinct().sorted().toList();
        if (roles.size() > MAX_ROLES) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "A service account has at most " + MAX_ROLES + " roles.", "too many roles");
        }
        for (String r : roles) {
            // the same form as a role name (Role validates it)
            new Role(orgId, r, null, List.of(), createdAt);
        }
    }

    public boolean disabled() {
        return disabledAt != null;
    }

    /** The token subject of this account. */
    public String subject() {
        return dev.latchkey.core.token.TokenPrincipal.ServiceAccount.PREFIX + id;
    }
}
