package dev.latchkey.core.token;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a successful rotation returns: everything needed to mint the next access token, including how
 * the session was authenticated ({@code authTime}, and {@code amr} in its stored form, see
 * {@link dev.latchkey.core.authn.Amr#format}), which the token repeats in {@code auth_time amr acr}.
 */
public record TokenSubject(
        UUID familyId,
        UUID sessionId,
        UUID userId,
        String clientId,
        String scope,
        UUID orgId,
        List<String> roles,
        int securityVersion,
        long generation,
        Instant authTime,
        String amr,
        Instant expiresAt) {
    public TokenSubject {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** The same grant with {@code org} as its chosen organization. */
    public TokenSubject withOrg(UUID org) {
        return new TokenSubject(familyId, sessionId, userId, clientId, scope, org, roles, securityVersion, generation, authTime, amr, expiresAt);
    }

    /** The organization claim, or null. */
    public String org() {
        return orgId == null ? null : orgId.toString();
    }
}
