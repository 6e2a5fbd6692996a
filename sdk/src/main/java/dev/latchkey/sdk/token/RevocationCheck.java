package dev.latchkey.sdk.token;

/**
 * Consulted after a token's signature and claims are verified, and again on every cache hit, so a token
 * revoked after it was first seen is refused. The issuer's revocation feed (deleted or disabled users,
 * ended sessions, bumped security versions) implements this; until one is configured,
 * {@link #NONE} accepts every verified token and a revoked token stays valid until its {@code exp}.
 *
 * <p>Implementations must be fast and must not block on the network: they answer from local state that a
 * feed keeps current.
 */
@FunctionalInterface
public interface RevocationCheck {
    /** No revocation information: every verified token is accepted until it expires. */
    RevocationCheck NONE = token -> false;

    /** True when the issuer has revoked this token, its session ({@code sid}), or its user's {@code ver}. */
    boolean isRevoked(VerifiedToken token);
}
