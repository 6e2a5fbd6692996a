package dev.latchkey.server.mfa;

import dev.latchkey.core.credential.totp.Base32;
import dev.latchkey.core.credential.totp.Totp;
import java.time.Instant;

/**
 * An authenticator app in a test: codes for a base32 secret, each for a newer time step than the last
 * one it gave (the server accepts a step once; ±1 step of drift lets the next code come right away).
 */
final class TotpCodes {
    private final byte[] secret;
    private long lastStep = Long.MIN_VALUE;
    private String last;

    TotpCodes(String base32Secret) {
        this.secret = Base32.decode(base32Secret);
    }

    /**
     * A code for a step not used yet: the current one, or the next when the current one was used; when
     * both were, it waits for the next step to begin (as a person would).
     */
    String next() {
        long now = Totp.DEFAULT.step(Instant.now());
        while (lastStep + 1 > now + 1) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            now = Totp.DEFAULT.step(Instant.now());
        }
        long step = Math.max(now, lastStep + 1);
        lastStep = step;
        last = Totp.DEFAULT.code(secret, step);
        return last;
    }

    /** The code given last (a replay). */
    String last() {
        return last;
    }

    /** A code that is wrong now (far from every accepted step). */
    String wrong() {
        return Totp.DEFAULT.code(secret, Totp.DEFAULT.step(Instant.now()) + 40);
    }
}
