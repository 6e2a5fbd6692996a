package dev.latchkey.core.credential;

import dev.latchkey.core.authn.Factor;
import java.util.UUID;

/**
 * A credential kind that can be required after the first factor (TOTP, passkeys, recovery codes:
 * the multi-factor issue implements this for each). The login flow asks every registered one
 * whether the user has enrolled it.
 */
public interface SecondFactor {
    Factor factor();

    boolean enrolled(UUID userId);
}
