package dev.latchkey.gateway.session;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is signed in, from the ID token (OIDC Core §2, §5.1: {@code sub}, {@code email}, {@code name}) and the access
 * token ({@code org}, {@code roles}, {@code permissions}, {@code sid}, and how the session was authenticated:
 * {@code acr}, {@code amr}, {@code auth_time}; RFC 9068 §2.2, §2.2.1).
 */
public record UserClaims(String sub, Optional<String> email, boolean emailVerified, Optional<String> name,
                         Optional<String> org, List<String> roles, Optional<String> sid, Access access) {
    public UserClaims {
        Objects.requireNonNull(sub, "sub");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(org, "org");
        roles = List.copyOf(roles);
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(access, "access");
    }

    public UserClaims(String sub, Optional<String> email, boolean emailVerified, Optional<String> name,
                      Optional<String> org, List<String> roles, Optional<String> sid) {
        this(sub, email, emailVerified, name, org, roles, sid, Access.NONE);
    }

    /**
     * What the latest access token says beyond the user's identity: the organization's permissions and the
     * authentication context. Empty for sessions sealed before the gateway kept them (until their next refresh).
     */
    public record Access(List<String> permissions, Optional<String> acr, List<String> amr, Optional<Instant> authTime) {
        public static final Access NONE = new Access(List.of(), Optional.empty(), List.of(), Optional.empty());

        public Access {
            permissions = List.copyOf(permissions);
            Objects.requireNonNull(acr, "acr");
            amr = List.copyOf(amr);
            Objects.requireNonNull(authTime, "authTime");
        }
    }

    /** The same user with the access token's current organization, roles, session id and authentication context. */
    public UserClaims withAccess(Optional<String> org, List<String> roles, Optional<String> sid, Access access) {
        return new UserClaims(sub, email, emailVerified, name, org, roles, sid, access);
    }
}
