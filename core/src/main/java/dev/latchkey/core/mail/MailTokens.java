package dev.latchkey.core.mail;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The one primitive behind every mailed link: 256 random bits (43 base64url characters) stored as a
 * SHA-256 hash, single use, short-lived, bound to purpose, user and security version; optionally a
 * six-digit code usable only from the browser that asked (five tries).
 */
public final class MailTokens {
    public static final int CODE_ATTEMPTS = 5;
    private static final int MAX_TOKEN = 64;

    private final MailTokenStore store;
    private final AuditSink audit;
    private final Clock clock;

    public MailTokens(MailTokenStore store, AuditSink audit, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Issues a token. {@code binding} is the secret of the cookie set on the asking browser (null: none),
     * {@code withCode} adds a short code for another device.
     */
    public IssuedMailToken issue(MailPurpose purpose, User user, String email, Duration ttl, String binding, boolean withCode,
                                 String payload) {
        Instant now = clock.instant();
        String value = RandomTokens.token();
        String code = withCode ? sixDigits() : null;
        MailToken t = new MailToken(UuidV7.next(clock), Digests.sha256(value), purpose, user.id(), user.securityVersion(), email,
                binding == null ? null : Digests.sha256(binding), code == null ? null : codeHash(binding, code), payload, now, now.plus(ttl));
        store.create(t);
        return new IssuedMailToken(t, value, code, t.expiresAt());
    }

    /** Redeems a link's token; throws a specific, harmless error when refused (nothing changes then). */
    public MailToken redeem(String value, MailPurpose purpose, RequestContext ctx) {
        if (!wellFormed(value)) {
            throw refused(MailTokenStore.Reason.NOT_FOUND, purpose, ctx);
        }
        return switch (store.redeem(Digests.sha256(value), purpose, clock.instant())) {
            case MailTokenStore.Redemption.Redeemed(MailToken t) -> t;
            case MailTokenStore.Redemption.Refused(MailTokenStore.Reason r) -> throw refused(r, purpose, ctx);
        };
    }

    /** Redeems by the short code typed on the browser named by {@code binding}. */
    public MailToken redeemCode(String binding, String code, MailPurpose purpose, RequestContext ctx) {
        String c = code == null ? "" : code.replaceAll("[\\s-]", "");
        if (binding == null || binding.isEmpty() || binding.length() > MAX_TOKEN || !c.matches("[0-9]{6}")) {
            throw refused(binding == null ? MailTokenStore.Reason.NOT_FOUND : MailTokenStore.Reason.WRONG_CODE, purpose, ctx);
        }
        return switch (store.redeemCode(Digests.sha256(binding), codeHash(binding, c), purpose, clock.instant(), CODE_ATTEMPTS)) {
            case MailTokenStore.Redemption.Redeemed(MailToken t) -> t;
            case MailTokenStore.Redemption.Refused(MailTokenStore.Reason r) -> throw refused(r, purpose, ctx);
        };
    }

    /** The token if it is redeemable now, without redeeming it. */
    public Optional<MailToken> peek(String value, MailPurpose purpose) {
        if (!wellFormed(value)) {
            return Optional.empty();
        }
        return store.peek(Digests.sha256(value), purpose, clock.instant());
    }

    /** Forgets tokens that expired more than a day ago (their refusals then say "not valid" instead of "expired"). */
    public int purgeExpired() {
        return store.purgeExpired(clock.instant().minus(Duration.ofDays(1)));
    }

    /** Whether the browser's binding secret is the one the token was issued to. */
    public static boolean boundTo(MailToken t, String binding) {
        return t.bindingHash() != null && binding != null && binding.length() <= MAX_TOKEN
                && Digests.equal(t.bindingHash(), Digests.sha256(binding));
    }

    private LatchkeyException refused(MailTokenStore.Reason r, MailPurpose purpose, RequestContext ctx) {
        audit.record(AuditEvent.of(AuditType.MAIL_TOKEN_REFUSED, clock.instant(), ctx)
                .detail(purpose.wireName() + ": " + r.name().toLowerCase(java.util.Locale.ROOT)).build());
        return switch (r) {
            case EXPIRED -> LatchkeyException.of(ErrorCode.MAIL_TOKEN_EXPIRED, "mail token expired");
            case USED -> LatchkeyException.of(ErrorCode.MAIL_TOKEN_USED, "mail token already used");
            case WRONG_CODE -> LatchkeyException.of(ErrorCode.MAIL_CODE_INVALID, "wrong mail code");
            case TOO_MANY_ATTEMPTS -> LatchkeyException.withMessage(ErrorCode.MAIL_CODE_INVALID,
                    "Too many wrong codes. Request a new one.", "mail code attempts exhausted");
            case NOT_FOUND, WRONG_PURPOSE, STALE -> LatchkeyException.of(ErrorCode.MAIL_TOKEN_INVALID, "mail token refused: " + r);
        };
    }

    private static boolean wellFormed(String value) {
        return value != null && !value.isEmpty() && value.length() <= MAX_TOKEN && value.matches("[A-Za-z0-9_-]+");
    }

    /** The code is hashed with the binding, so a code hash alone (six digits) cannot be looked up. */
    private static byte[] codeHash(String binding, String code) {
        return Digests.sha256((binding == null ? "" : binding) + ":" + code);
    }

    private static String sixDigits() {
        return String.format("%06d", RandomTokens.random().nextInt(1_000_000));
    }
}
