package dev.latchkey.core.credential.passkey;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.authn.CompletedStep;
import dev.latchkey.core.credential.passkey.Ceremonies.Refusal;
import dev.latchkey.core.credential.passkey.PasskeyChallenge.Purpose;
import dev.latchkey.core.credential.passkey.PasskeyChallengeStore.Consumption;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.identity.IdentityStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Passkeys (WebAuthn Level 3): registering one from the account page, signing in with one without
 * naming the user first (discoverable credentials, §5.4.6 {@code residentKey: "required"}), and using
 * one as a second factor. Every ceremony starts by issuing a challenge bound to the browser (a
 * binding secret the caller keeps in a cookie) and ends by spending it in one atomic statement, then
 * verifying the response; a refused response changes nothing but the spent challenge. The user handle
 * is the user id's 16 bytes (no personal data, §14.6.1).
 */
public final class PasskeyService {
    /** Registering or removing a passkey needs a sign-in at most this old. */
    public static final Duration RECENT_AUTH = Duration.ofMinutes(15);

    private final PasskeyStore store;
    private final PasskeyChallengeStore challenges;
    private final UserStore users;
    private final IdentityStore identities;
    private final RelyingParty rp;
    private final AuditSink audit;
    private final Clock clock;
    private final Ceremonies ceremonies = new Ceremonies();

    public PasskeyService(PasskeyStore store, PasskeyChallengeStore challenges, UserStore users, IdentityStore identities, RelyingParty rp,
                          AuditSink audit, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.users = Objects.requireNonNull(users, "users");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.rp = Objects.requireNonNull(rp, "rp");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public RelyingParty relyingParty() {
        return rp;
    }

    // ---- registration (§7.1)

    /** Options for {@code navigator.credentials.create()}: the user's existing passkeys are excluded (§5.4 excludeCredentials). */
    public CeremonyOptions.Creation beginRegistration(UUID userId, Instant authTime, String binding) {
        requireRecent(authTime);
        User user = user(userId);
        String challenge = issue(Purpose.REGISTER, userId, binding);
        List<CeremonyOptions.Descriptor> exclude = store.forUser(userId).stream().map(PasskeyService::descriptor).toList();
        return new CeremonyOptions.Creation(new CeremonyOptions.RpEntity(rp.id(), rp.name()),
                new CeremonyOptions.UserEntity(b64(userHandle(userId)), user.email().value(),
                        user.name() == null || user.name().isBlank() ? user.email().value() : user.name()),
                challenge, Ceremonies.ALGORITHMS.stream().map(a -> new CeremonyOptions.CredentialParameters("public-key", a)).toList(),
                rp.challengeTtl().toMillis(), exclude, new CeremonyOptions.AuthenticatorSelection("required", true, "preferred"), "none");
    }

    /** Verifies the browser's registration response and stores the passkey under {@code name} (blank: "Passkey"). */
    public PasskeyCredential finishRegistration(UUID userId, Instant authTime, String binding, String responseJson, String name,
                                                RequestContext ctx) {
        requireRecent(authTime);
        String cleanName = name(name);
        Instant now = clock.instant();
        Ceremonies.NewCredential nc;
        try {
            Ceremonies.ParsedRegistration parsed = ceremonies.parseRegistration(responseJson);
            spend(parsed.challenge(), binding, Purpose.REGISTER, userId, ctx);
            nc = ceremonies.verifyRegistration(parsed, rp);
        } catch (Refusal r) {
            throw refused(ErrorCode.PASSKEY_INVALID, userId, "registration: " + r.getMessage(), ctx);
        }
        PasskeyCredential c = new PasskeyCredential(UuidV7.next(), userId, nc.credentialId(), nc.attestedCredentialData(), nc.signCount(),
                nc.userVerified(), nc.backupEligible(), nc.backupState(), nc.transports(), cleanName, now, null);
        if (!store.create(c)) {
            throw refused(ErrorCode.PASSKEY_EXISTS, userId, "registration: credential id already registered", ctx);
        }
        audit.record(AuditEvent.of(AuditType.PASSKEY_REGISTERED, now, ctx).user(userId).subject(c.id().toString())
                .detail("name '" + cleanName + "', backup eligible " + c.backupEligible() + ", user verified " + nc.userVerified()).build());
        return c;
    }

    // ---- authentication (§7.2)

    /** Options for a passwordless {@code navigator.credentials.get()} (also with {@code mediation: "conditional"}): no allowCredentials. */
    public CeremonyOptions.Request beginSignIn(String binding) {
        return new CeremonyOptions.Request(issue(Purpose.SIGN_IN, null, binding), rp.challengeTtl().toMillis(), rp.id(), List.of(), "preferred");
    }

    /** Verifies a passwordless assertion: the credential is found by its id, its owner by the user handle. */
    public VerifiedPasskey signIn(String binding, String responseJson, RequestContext ctx) {
        Ceremonies.ParsedAssertion a;
        try {
            a = ceremonies.parseAssertion(responseJson);
        } catch (Refusal r) {
            throw refused(ErrorCode.PASSKEY_INVALID, null, "sign-in: " + r.getMessage(), ctx);
        }
        spend(a.challenge(), binding, Purpose.SIGN_IN, null, ctx);
        PasskeyCredential c = store.findByCredentialId(a.credentialId())
                .orElseThrow(() -> refused(ErrorCode.PASSKEY_UNKNOWN, null, "sign-in: unknown credential id", ctx));
        if (a.userHandle() == null || !Digests.equal(a.userHandle(), userHandle(c.userId()))) {
            throw refused(ErrorCode.PASSKEY_INVALID, c.userId(), "sign-in: user handle does not match the credential's owner", ctx);
        }
        return verified(a, c, List.of(), "sign-in", ctx);
    }

    /** Options for the second-factor step of {@code userId}'s pending sign-in: allowCredentials lists the user's passkeys. */
    public CeremonyOptions.Request beginSecondFactor(UUID userId, String binding) {
        List<CeremonyOptions.Descriptor> allow = store.forUser(userId).stream().map(PasskeyService::descriptor).toList();
        if (allow.isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.PASSKEY_UNKNOWN, "This account has no passkey.", "second factor without passkeys");
        }
        return new CeremonyOptions.Request(issue(Purpose.SECOND_FACTOR, userId, binding), rp.challengeTtl().toMillis(), rp.id(), allow,
                "preferred");
    }

    /**
     * Verifies a passkey as the second factor of {@code userId}'s pending sign-in: the challenge must
     * be one issued by {@link #beginSecondFactor} to this browser for this user, and the credential one
     * of this user's. Continue the sign-in with {@code LoginFlow.continueWith(pending, result.step(), ctx)}.
     */
    public VerifiedPasskey verifySecondFactor(UUID userId, String binding, String responseJson, RequestContext ctx) {
        Ceremonies.ParsedAssertion a;
        try {
            a = ceremonies.parseAssertion(responseJson);
        } catch (Refusal r) {
            throw refused(ErrorCode.PASSKEY_INVALID, userId, "second factor: " + r.getMessage(), ctx);
        }
        spend(a.challenge(), binding, Purpose.SECOND_FACTOR, userId, ctx);
        List<PasskeyCredential> mine = store.forUser(userId);
        PasskeyCredential c = mine.stream().filter(x -> Digests.equal(x.credentialId(), a.credentialId())).findFirst()
                .orElseThrow(() -> refused(ErrorCode.PASSKEY_UNKNOWN, userId, "second factor: not one of the user's credentials", ctx));
        return verified(a, c, mine.stream().map(PasskeyCredential::credentialId).toList(), "second factor", ctx);
    }

    private VerifiedPasskey verified(Ceremonies.ParsedAssertion a, PasskeyCredential c, List<byte[]> allowed, String what, RequestContext ctx) {
        Instant now = clock.instant();
        Ceremonies.Assertion ok;
        try {
            ok = ceremonies.verifyAssertion(a, c, allowed, rp);
        } catch (Refusal r) {
            if (r.counter) {
                throw cloned(c, what + ": " + r.getMessage(), ctx);
            }
            throw refused(ErrorCode.PASSKEY_INVALID, c.userId(), what + ": " + r.getMessage(), ctx);
        }
        boolean uvInitialized = c.uvInitialized() || ok.userVerified();
        if (!store.recordUse(c.id(), ok.signCount(), ok.backupState(), uvInitialized, now)) {
            // a concurrent assertion stored this counter (or a higher one) first
            throw cloned(c, what + ": sign counter " + ok.signCount() + " lost to a concurrent use", ctx);
        }
        PasskeyCredential used = new PasskeyCredential(c.id(), c.userId(), c.credentialId(), c.attestedCredentialData(), ok.signCount(),
                uvInitialized, c.backupEligible(), ok.backupState(), c.transports(), c.name(), c.createdAt(), now);
        audit.record(AuditEvent.of(AuditType.PASSKEY_USED, now, ctx).user(c.userId()).subject(c.id().toString())
                .detail(what + ", user verified " + ok.userVerified() + ", backed up " + ok.backupState()).build());
        return new VerifiedPasskey(c.userId(), used, ok.userVerified(), CompletedStep.passkey(now, c.synced(), ok.userVerified()));
    }

    // ---- management

    public List<PasskeyCredential> list(UUID userId) {
        return store.forUser(userId);
    }

    public boolean enrolled(UUID userId) {
        return store.any(userId);
    }

    public void rename(UUID userId, UUID id, String name, RequestContext ctx) {
        String clean = name(name);
        if (!store.rename(userId, id, clean)) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such passkey.", "rename of an unknown passkey");
        }
        audit.record(AuditEvent.of(AuditType.PASSKEY_RENAMED, clock.instant(), ctx).user(userId).subject(id.toString())
                .detail("name '" + clean + "'").build());
    }

    /**
     * Whether removing passkey {@code id} would leave the user without a way to sign in: no password,
     * no other passkey and no linked upstream account.
     */
    public boolean isLastWayIn(UUID userId, UUID id) {
        User u = user(userId);
        return !u.hasPassword() && store.forUser(userId).stream().noneMatch(p -> !p.id().equals(id)) && identities.forUser(userId).isEmpty();
    }

    /**
     * Removes a passkey. Needs a recent sign-in ({@link #RECENT_AUTH}); when it is the user's last way
     * in, only with {@code confirmedLast} (the page has shown the warning).
     */
    public void remove(UUID userId, UUID id, Instant authTime, boolean confirmedLast, RequestContext ctx) {
        requireRecent(authTime);
        if (store.forUser(userId).stream().noneMatch(p -> p.id().equals(id))) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such passkey.", "removal of an unknown passkey");
        }
        boolean last = isLastWayIn(userId, id);
        if (last && !confirmedLast) {
            throw LatchkeyException.of(ErrorCode.LAST_SIGN_IN_METHOD, "removal of the last way in, unconfirmed");
        }
        if (!store.delete(userId, id)) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such passkey.", "passkey removed concurrently");
        }
        audit.record(AuditEvent.of(AuditType.PASSKEY_REMOVED, clock.instant(), ctx).user(userId).subject(id.toString())
                .detail(last ? "the last way in, confirmed" : null).build());
    }

    /** Removes challenges that expired before now (a scheduled job's call). */
    public int purgeExpiredChallenges() {
        return challenges.purgeExpired(clock.instant());
    }

    // ---- helpers

    /** Whether a sign-in at {@code authTime} is recent enough to add or remove passkeys. */
    public boolean recentEnough(Instant authTime) {
        return authTime != null && !authTime.plus(RECENT_AUTH).isBefore(clock.instant());
    }

    private void requireRecent(Instant authTime) {
        if (!recentEnough(authTime)) {
            throw LatchkeyException.withMessage(ErrorCode.REAUTHENTICATION_REQUIRED,
                    "For changes to your passkeys, sign in again first (your last sign-in is more than "
                            + RECENT_AUTH.toMinutes() + " minutes old).", "sign-in not recent");
        }
    }

    private String issue(Purpose purpose, UUID userId, String binding) {
        byte[] challenge = RandomTokens.bytes(32);
        Instant now = clock.instant();
        challenges.issue(new PasskeyChallenge(UuidV7.next(), Digests.sha256(challenge), purpose, userId, bindingHash(binding), now,
                now.plus(rp.challengeTtl())));
        return b64(challenge);
    }

    /** Spends the challenge the response carries; any refusal is the same error to the browser and a specific audit detail. */
    private void spend(byte[] challenge, String binding, Purpose purpose, UUID userId, RequestContext ctx) {
        Consumption c = challenges.consume(Digests.sha256(challenge), bindingHash(binding), purpose, clock.instant());
        switch (c) {
            case Consumption.Refused r -> throw refused(ErrorCode.PASSKEY_CHALLENGE_INVALID, userId,
                    purpose.wireName() + ": challenge refused (" + r.reason().name().toLowerCase(java.util.Locale.ROOT) + ")", ctx);
            case Consumption.Consumed ok when userId != null && !userId.equals(ok.challenge().userId()) ->
                    throw refused(ErrorCode.PASSKEY_CHALLENGE_INVALID, userId, purpose.wireName() + ": challenge of another user", ctx);
            case Consumption.Consumed ok -> {
            }
        }
    }

    private LatchkeyException refused(ErrorCode code, UUID userId, String detail, RequestContext ctx) {
        audit.record(AuditEvent.of(AuditType.PASSKEY_FAILED, clock.instant(), ctx).user(userId).detail(detail).build());
        return LatchkeyException.of(code, detail);
    }

    private LatchkeyException cloned(PasskeyCredential c, String detail, RequestContext ctx) {
        audit.record(AuditEvent.of(AuditType.PASSKEY_CLONE_SUSPECTED, clock.instant(), ctx).user(c.userId()).subject(c.id().toString())
                .detail(detail).build());
        return LatchkeyException.of(ErrorCode.PASSKEY_COUNTER_REGRESSED, detail);
    }

    private User user(UUID userId) {
        return users.findById(userId).orElseThrow(() -> LatchkeyException.of(ErrorCode.NOT_FOUND, "user gone"));
    }

    private static String name(String raw) {
        String n = raw == null ? "" : raw.strip();
        if (n.isEmpty()) {
            return "Passkey";
        }
        if (n.length() > PasskeyCredential.MAX_NAME || n.chars().anyMatch(Character::isISOControl)) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                    "A passkey name has at most " + PasskeyCredential.MAX_NAME + " characters and no control characters.", "bad passkey name");
        }
        return n;
    }

    private static byte[] bindingHash(String binding) {
        if (binding == null || binding.length() < 32) {
            // no cookie (or a forged short one): a hash that no issued challenge has
            return Digests.sha256("no-binding:" + Optional.ofNullable(binding).orElse(""));
        }
        return Digests.sha256(binding);
    }

    static byte[] userHandle(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    private static CeremonyOptions.Descriptor descriptor(PasskeyCredential c) {
        return new CeremonyOptions.Descriptor("public-key", b64(c.credentialId()), c.transports());
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
