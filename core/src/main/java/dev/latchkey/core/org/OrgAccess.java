package dev.latchkey.core.org;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** What a user holds in their chosen organization, as tokens carry it ({@code org roles permissions org_claims}). */
public record OrgAccess(UUID orgId, List<String> roles, List<String> permissions, OrgCustomClaims claims) {
    public OrgAccess {
        Objects.requireNonNull(orgId, "orgId");
        roles = List.copyOf(roles);
        permissions = List.copyOf(permissions);
        claims = claims == null ? OrgCustomClaims.NONE : claims;
    }

    public OrgAccess(UUID orgId, List<String> roles, List<String> permissions) {
        this(orgId, roles, permissions, OrgCustomClaims.NONE);
    }
}
