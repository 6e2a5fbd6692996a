package dev.latchkey.gateway.oidc;

import java.util.List;
import java.util.Objects;

/**
 * One of the signed-in user's organizations, as the server's {@code GET /api/auth/orgs} lists it.
 *
 * @param current whether the session's access token is for this organization
 */
public record UserOrganization(String id, String name, String slug, List<String> roles, boolean current) {
    public UserOrganization {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(slug, "slug");
        roles = List.copyOf(roles);
    }
}
