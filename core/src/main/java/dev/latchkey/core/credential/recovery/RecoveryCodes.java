package dev.latchkey.core.credential.recovery;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.credential.CodeFactor;
import dev.latchkey.core.credential.FactorAttempts;
import dev.latchkey.core.credential.FactorCheck;
import dev.latchkey.core.crypto.Hmac;
import dev.latchkey.core.crypto.RandomTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Recovery codes (NIST SP 800-63B §5.1.2 look-up secrets): {@value #COUNT} single-use codes of 50
 * random bits each ({@code xxxxx-xxxxx} in Crockford's base32, no look-alike letters), shown once and
 * stored only as HMAC-SHA256 under a key derived from the master key and bound to the user. A keyed
 * hash rather than a plain one: 50 bits resist online guessing (throttled, locked out) but not an
 * offline search of a leaked table; without the master key there is nothing to search, so no slow
 * hash is needed either.
 *
 * <p>They are a way back in beside a standalone factor, not a factor of their own ({@link #standalone()}).
 */
public final class RecoveryCodes implements CodeFactor {
    public static final int COUNT = 10;
    private static final String SYMBOLS = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

    private final RecoveryCodeStore store;
    private final FactorAttempts attempts;
    private final AuditSink audit;
    private final Clock clock;
    private final Hmac key;

    public RecoveryCodes(RecoveryCodeStore store, FactorAttempts attempts, AuditSink audit, Clock clock, byte[] key) {
        this.store = Objects.requireNonNull(store, "store");
        this.attempts = Objects.requireNonNull(attempts, "attempts");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.key = new Hmac(key);
    }

    @Override
    public Factor factor() {
        return Factor.RECOVERY_CODE;
    }

    @Override
    public boolean enrolled(UUID userId) {
        return store.remaining(userId) > 0;
    }

    @Override
    public boolean standalone() {
        return false;
    }

    public int remaining(UUID userId) {
        return store.remaining(userId);
    }

    /** New codes for the user; every earlier one stops working. The plain codes are returned once, never stored. */
    public List<String> generate(UUID userId, RequestContext ctx) {
        SecureRandom random = RandomTokens.random();
        List<String> codes = new ArrayList<>(COUNT);
        List<byte[]> hashes = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            StringBuilder c = new StringBuilder(11);
            for (int j = 0; j < 10; j++) {
                if (j == 5) {
                    c.append('-');
                }
                c.append(SYMBOLS.charAt(random.nextInt(SYMBOLS.length())));
            }
            codes.add(c.toString());
            hashes.add(hash(userId, c.toString()));
        }
        Instant now = clock.instant();
        store.replace(userId, hashes, now);
        audit.record(AuditEvent.of(AuditType.RECOVERY_CODES_GENERATED, now, ctx).user(userId).detail(COUNT + " codes").build());
        return codes;
    }

    @Override
    public FactorCheck verify(UUID userId, String code, RequestContext ctx) {
        Instant now = clock.instant();
        long locked = attempts.lockedFor(userId, now);
        if (locked > 0) {
            audit.record(AuditEvent.of(AuditType.MFA_FAILURE, now, ctx).user(userId).detail("recovery code: attempt while locked").build());
            return new FactorCheck(FactorCheck.Status.LOCKED, locked);
        }
        String normal = normalise(code);
        if (normal == null || !store.redeem(userId, hash(userId, normal), now)) {
            audit.record(AuditEvent.of(AuditType.MFA_FAILURE, now, ctx).user(userId).detail("recovery code: wrong or used").build());
            return attempts.failed(userId, FactorCheck.Status.WRONG, now, ctx);
        }
        attempts.succeeded(userId, now);
        audit.record(AuditEvent.of(AuditType.RECOVERY_CODE_USED, now, ctx).user(userId)
                .detail(store.remaining(userId) + " left").build());
        return FactorCheck.ACCEPTED;
    }

    public void removeAll(UUID userId) {
        store.removeAll(userId);
    }

    /** Lower case, without spaces, the dash put back after five; null when it cannot be a code. */
    static String normalise(String code) {
        if (code == null) {
            return null;
        }
        String c = code.strip().toLowerCase(Locale.ROOT).replace(" ", "").replace("-", "");
        if (c.length() != 10 || !c.chars().allMatch(ch -> SYMBOLS.indexOf(ch) >= 0)) {
            return null;
        }
        return c.substring(0, 5) + "-" + c.substring(5);
    }

    private byte[] hash(UUID userId, String normalised) {
        return key.sign("recovery:" + userId + ":" + normalised);
    }
}
