package dev.latchkey.core.token;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A refresh family's recent past as its store keeps it, and the rule that judges a presented token
 * that is not the current one.
 *
 * <p>{@code rotatedAt} holds, newest first, the instants of the family's last rotations:
 * {@code rotatedAt.get(k - 1)} is when the token {@code k} generations behind the current one was
 * replaced. A store keeps at least every rotation less than the grace window ago, up to
 * {@link #DEPTH} of them, and may drop older ones; a token whose rotation instant is no longer kept
 * is judged as rotated before the window.
 *
 * <p>How far behind a presented token is comes from walking its {@link RefreshTokens.Lineage}
 * forward (each successor is derived from its parent) until it meets the current token, at most
 * {@link #DEPTH} steps. Then:
 * <ul>
 *   <li>rotated less than {@code grace} ago, one generation behind: a grace replay (the same successor);</li>
 *   <li>rotated less than {@code grace} ago, further behind: stale (refused, nothing revoked) —
 *       a late duplicate of a request whose answer the client has long used;</li>
 *   <li>rotated {@code grace} or longer ago, or further behind than the walk reaches: reuse;</li>
 *   <li>not met within a walk that covers the family's whole history: never a token of this family.</li>
 * </ul>
 * The verdict depends only on the presented token's own rotation instant, which never changes once
 * it has happened; so a verdict read from one snapshot of the row stays right whatever rotations
 * follow. Instants are compared exactly (microseconds as stored), never as truncated seconds.
 */
public record RotationHistory(byte[] currentHash, long generation, List<Instant> rotatedAt) {
    /** How many rotation instants a store keeps, and how far a lineage is walked. */
    public static final int DEPTH = 64;

    public RotationHistory {
        Objects.requireNonNull(currentHash, "currentHash");
        rotatedAt = List.copyOf(rotatedAt);
        if (generation < 0) {
            throw new IllegalArgumentException("negative generation");
        }
    }

    /** How a presented token stands to the family's current one. */
    public enum Verdict {
        /** It is the current token. */
        CURRENT,
        /** Replaced by the current token less than the grace window ago. */
        PREVIOUS,
        /** Replaced less than the grace window ago, but the current token is more than one generation further. */
        STALE,
        /** Replaced the grace window or longer ago (or too many generations back to tell): theft. */
        REUSE,
        /** Provably never a token of this family (forged, or minted under another key). */
        FOREIGN
    }

    /** A verdict and how many generations behind the current token the presented one is (-1 when unknown). */
    public record Judgement(Verdict verdict, int behind) {
    }

    public Judgement judge(RefreshTokens.Lineage presented, Instant now, Duration grace) {
        if (MessageDigest.isEqual(presented.hash(0), currentHash)) {
            return new Judgement(Verdict.CURRENT, 0);
        }
        int reach = (int) Math.min(DEPTH, generation);
        for (int k = 1; k <= reach; k++) {
            if (MessageDigest.isEqual(presented.hash(k), currentHash)) {
                boolean inWindow = k <= rotatedAt.size() && now.isBefore(rotatedAt.get(k - 1).plus(grace));
                if (!inWindow) {
                    return new Judgement(Verdict.REUSE, k);
                }
                return new Judgement(k == 1 ? Verdict.PREVIOUS : Verdict.STALE, k);
            }
        }
        return generation <= DEPTH ? new Judgement(Verdict.FOREIGN, -1) : new Judgement(Verdict.REUSE, -1);
    }

    @Override
    public String toString() {
        return "RotationHistory[generation=" + generation + ", rotations kept=" + rotatedAt.size() + "]";
    }
}
