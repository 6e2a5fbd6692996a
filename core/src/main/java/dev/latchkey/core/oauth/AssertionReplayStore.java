package dev.latchkey.core.oauth;

import java.time.Instant;

/** Remembers client-assertion ids until they expire (RFC 7523 §3, item 7). */
public interface AssertionReplayStore {
    /** Records the jti atomically; false when it was seen before (a replay). */
    boolean firstUse(String clientId, String jti, Instant expiresAt);
}
