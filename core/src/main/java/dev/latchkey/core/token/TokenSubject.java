package dev.latchkey.core.token;

import java.time.Instant;
import java.util.UUID;

/** What a successful rotation returns: everything needed to mint the next access token. */
public record TokenSubject(
        UUID familyId,
        UUID sessionId,
        UUID userId,
        String clientId,
        String scope,
        int securityVersion,
        long generation,
        Instant authTime,
        Instant expiresAt) {
}
