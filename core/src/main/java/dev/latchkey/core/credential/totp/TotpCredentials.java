package dev.latchkey.core.credential.totp;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.credential.CodeFactor;
import dev.latchkey.core.credential.FactorAttempts;
import dev.latchkey.core.credential.FactorCheck;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Authenticator-app codes (RFC 6238) as a second factor: enrol (a fresh 160-bit secret, pending until
 * the user types a valid code), verify (the current step ±1 for clock drift, §5.2; each step accepted
 * once, decided by the store in one statement), remove. Failures count toward the user's factor lockout.
 */
public final class TotpCredentials implements CodeFactor {
    /** RFC 6238 §5.2: one step back and forward for clock drift and typing time. */
    static final int DRIFT_STEPS = 1;
    private static final int SECRET_BYTES = 20;

    private final TotpStore store;
    private final MasterKey masterKey;
    private final FactorAttempts attempts;
    private final AuditSink audit;
    private final Clock clock;
    private final String issuer;
    private final Totp totp = Totp.DEFAULT;

    public TotpCredentials(TotpStore store, MasterKey masterKey, FactorAttempts attempts, AuditSink audit, Clock clock, String issuer) {
        this.store = Objects.requireNonNull(store, "store");
        this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
        this.attempts = Objects.requireNonNull(attempts, "attempts");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    @Override
    public Factor factor() {
        return Factor.TOTP;
    }

    @Override
    public boolean enrolled(UUID userId) {
        return store.find(userId, true).isPresent();
    }

    /** Starts (or restarts) an enrolment: a new pending secret. Refused while a confirmed one exists. */
    public TotpEnrolment begin(User user) {
        if (enrolled(user.id())) {
            throw LatchkeyException.of(ErrorCode.MFA_ALREADY_ENROLLED, "TOTP enrolment while one is confirmed");
        }
        byte[] secret = RandomTokens.bytes(SECRET_BYTES);
        UUID id = UuidV7.next();
        store.putPending(new TotpCredential(id, user.id(), masterKey.seal(secret, TotpCredential.sealContext(id)), clock.instant(), null, -1));
        String b32 = Base32.encode(secret);
        return new TotpEnrolment(b32, uri(user.email().value(), b32));
    }

    /** The pending enrolment shown again (e.g. the page reloaded), or empty when none is pending. */
    public Optional<TotpEnrolment> pending(User user) {
        return store.find(user.id(), false).map(c -> {
            String b32 = Base32.encode(open(c));
            return new TotpEnrolment(b32, uri(user.email().value(), b32));
        });
    }

    /** Activates the pending secret with a valid code typed by the user; the code's step counts as used. */
    @Override
    public FactorCheck confirmEnrolment(UUID userId, String code, RequestContext ctx) {
        Instant now = clock.instant();
        long locked = attempts.lockedFor(userId, now);
        if (locked > 0) {
            return new FactorCheck(FactorCheck.Status.LOCKED, locked);
        }
        Optional<TotpCredential> pending = store.find(userId, false);
        if (pending.isEmpty()) {
            return FactorCheck.of(FactorCheck.Status.NOT_ENROLLED);
        }
        long step = matchingStep(pending.get(), code, now);
        if (step < 0) {
            audit.record(AuditEvent.of(AuditType.MFA_FAILURE, now, ctx).user(userId).detail("totp enrolment: wrong code").build());
            return attempts.failed(userId, FactorCheck.Status.WRONG, now, ctx);
        }
        if (!store.confirm(pending.get().id(), step, now)) {
            return FactorCheck.of(enrolled(userId) ? FactorCheck.Status.NOT_ENROLLED : FactorCheck.Status.REPLAYED);
        }
        attempts.succeeded(userId, now);
        audit.record(AuditEvent.of(AuditType.MFA_ENROLLED, now, ctx).user(userId).detail("totp").build());
        return FactorCheck.ACCEPTED;
    }

    @Override
    public FactorCheck verify(UUID userId, String code, RequestContext ctx) {
        Instant now = clock.instant();
        long locked = attempts.lockedFor(userId, now);
        if (locked > 0) {
            audit.record(AuditEvent.of(AuditType.MFA_FAILURE, now, ctx).user(userId).detail("totp: attempt while locked").build());
            return new FactorCheck(FactorCheck.Status.LOCKED, locked);
        }
        Optional<TotpCredential> cred = store.find(userId, true);
        if (cred.isEmpty()) {
            return FactorCheck.of(FactorCheck.Status.NOT_ENROLLED);
        }
        long step = matchingStep(cred.get(), code, now);
        if (step < 0 || !store.useStep(cred.get().id(), step)) {
            FactorCheck.Status status = step < 0 ? FactorCheck.Status.WRONG : FactorCheck.Status.REPLAYED;
            audit.record(AuditEvent.of(AuditType.MFA_FAILURE, now, ctx).user(userId)
                    .detail(step < 0 ? "totp: wrong code" : "totp: replayed code").build());
            return attempts.failed(userId, status, now, ctx);
        }
        attempts.succeeded(userId, now);
        audit.record(AuditEvent.of(AuditType.MFA_SUCCESS, now, ctx).user(userId).detail("totp").build());
        return FactorCheck.ACCEPTED;
    }

    /** Removes the user's authenticator app (the caller made sure it is the user, with a recent factor). */
    public boolean remove(UUID userId, RequestContext ctx) {
        boolean removed = store.remove(userId);
        if (removed) {
            audit.record(AuditEvent.of(AuditType.MFA_REMOVED, clock.instant(), ctx).user(userId).detail("totp").build());
        }
        return removed;
    }

    /** The step (current ±1) whose code equals {@code code}, compared in constant time; -1 when none. */
    private long matchingStep(TotpCredential c, String code, Instant now) {
        String typed = code == null ? "" : code.replace(" ", "").strip();
        if (typed.length() != totp.digits() || !typed.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return -1;
        }
        byte[] secret = open(c);
        long current = totp.step(now);
        long found = -1;
        for (long s = current - DRIFT_STEPS; s <= current + DRIFT_STEPS; s++) {
            if (MessageDigest.isEqual(totp.code(secret, s).getBytes(StandardCharsets.US_ASCII), typed.getBytes(StandardCharsets.US_ASCII))) {
                found = s;
            }
        }
        java.util.Arrays.fill(secret, (byte) 0);
        return found;
    }

    private byte[] open(TotpCredential c) {
        return masterKey.open(c.sealedSecret(), TotpCredential.sealContext(c.id()));
    }

    /** The Key URI Format: {@code otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30}. */
    private String uri(String account, String secret) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + enc(issuer) + "&algorithm=" + totp.algorithm().uriName()
                + "&digits=" + totp.digits() + "&period=" + totp.period().toSeconds();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
