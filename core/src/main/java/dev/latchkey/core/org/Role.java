package dev.latchkey.core.org;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A role: a named set of permissions. {@code orgId} null makes it a deployment-wide role, usable in
 * every organization; otherwise it is that organization's custom role, which in that organization
 * takes the place of a deployment role of the same name. At most {@value #MAX_PERMISSIONS}
 * permissions, so tokens stay small.
 */
public record Role(UUID orgId, String name, String description, List<String> permissions, Instant updatedAt) {
    public static final int MAX_PERMISSIONS = 64;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

    public Role {
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (name == null || !NAME.matcher(name).matches()) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                    "A role name is 1-64 lower-case letters, digits and _ . - starting with a letter.", "bad role name");
        }
        if (description != null && description.length() > 200) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "A role description has at most 200 characters.", "long description");
        }
        permissions = Permission.normalize(permissions == null ? List.of() : permissions);
        if (permissions.size() > MAX_PERMISSIONS) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                    "A role has at most " + MAX_PERMISSIONS + " permissions.", "too many permissions");
        }
    }

    /** Whether this role is defined for the whole deployment. */
    public boolean deploymentWide() {
        return orgId == null;
    }
}
