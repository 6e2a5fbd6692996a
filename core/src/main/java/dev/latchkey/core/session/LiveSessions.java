package dev.latchkey.core.session;

import java.util.Optional;
import java.util.UUID;

/** Looks up whether a session is alive (possibly from a cache kept current by the revocation bus). */
public interface LiveSessions {
    Optional<Session> active(UUID sessionId);
}
