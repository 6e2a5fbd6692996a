package dev.latchkey.gateway.session;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is signed in, from the ID token (OIDC Core §2, §5.1: {@code sub}, {@code email}, {@code name}) and the access
 * token ({@code org}, {@code roles}, {@code sid}).
 */
public record UserClaims(String sub, Optional<String> email, boolean emailVerified, Optional<String> name,
                         Optional<String> org, List<String> roles, Optional<String> sid) {
    public UserClaims {
        Objects.requireNonNull(sub, "sub");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(org, "org");
        roles = List.copyOf(roles);
        Objects.requireNonNull(sid, "sid");
    }

    /** The same user with the access token's current organization, roles and session id. */
    public UserClaims withAccess(Optional<String> org, List<String> roles, Optional<String> sid) {
        return new UserClaims(sub, email, emailVerified, name, org, roles, sid);
    }
}
