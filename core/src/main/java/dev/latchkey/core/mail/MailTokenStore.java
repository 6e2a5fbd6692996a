package dev.latchkey.core.mail;

import java.time.Instant;
import java.util.Optional;

/**
 * Storage port for mailed tokens. Redemption is one conditional statement: unused, unexpired, the
 * right purpose, and the user's security version unchanged — so of any number of concurrent
 * redemptions exactly one succeeds.
 */
public interface MailTokenStore {
    void create(MailToken token);

    /** Redeems by the token's hash. */
    Redemption redeem(byte[] tokenHash, MailPurpose purpose, Instant now);

    /**
     * Redeems by the short code typed on the browser that asked ({@code bindingHash}); every attempt
     * counts, and a token is dead after {@code maxAttempts} wrong codes.
     */
    Redemption redeemCode(byte[] bindingHash, byte[] codeHash, MailPurpose purpose, Instant now, int maxAttempts);

    /** The token if it could be redeemed now (to render a form before the redeeming POST); changes nothing. */
    Optional<MailToken> peek(byte[] tokenHash, MailPurpose purpose, Instant now);

    /** Deletes tokens that expired before {@code before}; returns how many. */
    int purgeExpired(Instant before);

    /** The outcome of a redemption. */
    sealed interface Redemption {
        record Redeemed(MailToken token) implements Redemption {
        }

        record Refused(Reason reason) implements Redemption {
        }
    }

    /** Why a token was refused (logs and audit; users get a short message per reason). */
    enum Reason {
        NOT_FOUND,
        EXPIRED,
        USED,
        WRONG_PURPOSE,
        /** The user's security version changed (password changed, disabled) or the user is gone. */
        STALE,
        WRONG_CODE,
        TOO_MANY_ATTEMPTS
    }
}
