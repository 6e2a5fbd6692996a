package dev.latchkey.core.oauth.authorize;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** What each user has allowed each third-party client. */
public interface ConsentStore {
    /** What the user granted the client, and when last; null when nothing. */
    record Consent(Set<String> scopes, Instant grantedAt) {
    }

    Consent granted(UUID userId, String clientId);

    /** Adds scopes to what the user granted the client. */
    void grant(UUID userId, String clientId, Set<String> scopes, Instant now);
}
