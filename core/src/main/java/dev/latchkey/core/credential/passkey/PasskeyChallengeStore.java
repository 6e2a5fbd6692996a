package dev.latchkey.core.credential.passkey;

import java.time.Instant;

/**
 * Storage port for ceremony challenges. Consuming one is a single conditional statement (unused,
 * unexpired, same purpose, same browser binding), so of concurrent uses exactly one wins; a refusal
 * changes nothing and says why.
 */
public interface PasskeyChallengeStore {
    void issue(PasskeyChallenge challenge);

    /** Spends the challenge whose hash is {@code challengeHash} if it was issued to {@code bindingHash} for {@code purpose}. */
    Consumption consume(byte[] challengeHash, byte[] bindingHash, PasskeyChallenge.Purpose purpose, Instant now);

    /** Deletes challenges that expired before {@code before}; returns how many. */
    int purgeExpired(Instant before);

    /** The outcome of consuming a challenge. */
    sealed interface Consumption {
        record Consumed(PasskeyChallenge challenge) implements Consumption {
        }

        record Refused(Reason reason) implements Consumption {
        }
    }

    /** Why a challenge was refused (logs and audit). */
    enum Reason {
        NOT_FOUND,
        EXPIRED,
        USED,
        WRONG_PURPOSE,
        /** Issued to another browser (its binding differs): a challenge carried over from another session. */
        OTHER_BROWSER
    }
}
