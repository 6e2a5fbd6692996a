package dev.latchkey.core.token;

import java.util.UUID;

/**
 * The outcome of presenting a refresh token, decided by the store in one atomic conditional
 * update (plus, when that update matched nothing, a read that classifies why).
 */
public sealed interface Rotation permits Rotation.Rotated, Rotation.GraceReplay, Rotation.Stale, Rotation.Reuse, Rotation.Invalid {

    /** The presented token was current; it is now replaced by the successor. */
    record Rotated(TokenSubject subject) implements Rotation {
    }

    /**
     * The presented token was replaced moments ago (inside the grace window) and its successor is
     * still current: answer with that same successor, so concurrent tabs agree.
     */
    record GraceReplay(TokenSubject subject) implements Rotation {
    }

    /**
     * The presented token was replaced less than the grace window ago, but the family has rotated
     * again since: a late duplicate of a request whose answer the client already used. Refused;
     * nothing is revoked, and the client's newer token keeps working.
     */
    record Stale(TokenSubject subject, int generationsBehind) implements Rotation {
    }

    /** A token replaced longer ago than the grace window came back: the family and its session were revoked by this call. */
    record Reuse(UUID familyId, UUID sessionId, UUID userId, String clientId) implements Rotation {
    }

    /** Why a token is refused without being a reuse. */
    enum Reason {
        NOT_FOUND,
        EXPIRED,
        REVOKED,
        /** The user was disabled, deleted or changed the password since the family began. */
        USER_CHANGED,
        /** The token belongs to another client than the one presenting it. */
        WRONG_CLIENT,
        /** The family exists, but the token provably never belonged to it (forged, or minted under another key). */
        NOT_IN_FAMILY
    }

    record Invalid(Reason reason) implements Rotation {
    }
}
