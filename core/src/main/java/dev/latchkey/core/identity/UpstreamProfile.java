package dev.latchkey.core.identity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Who the upstream provider says signed in, after every check passed: the subject (unique within the
 * provider), the address and whether the provider asserted it verified, a display name, the
 * upstream {@code amr} (RFC 8176; empty when not given), and the tokens (kept only when configured).
 */
public record UpstreamProfile(String subject, String email, boolean emailVerified, String name, List<String> amr, String accessToken,
                              String refreshToken, Instant accessExpiresAt) {
    public UpstreamProfile {
        if (subject == null || subject.isEmpty() || subject.length() > 255) {
            throw new IllegalArgumentException("upstream subject must be 1 to 255 characters");
        }
        amr = List.copyOf(amr);
        Objects.requireNonNull(accessToken, "accessToken");
    }

    @Override
    public String toString() {
        return "UpstreamProfile[" + subject + "]";
    }
}
