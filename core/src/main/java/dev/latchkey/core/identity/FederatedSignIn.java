package dev.latchkey.core.identity;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.authn.LoginFlow;
import dev.latchkey.core.authn.SignInOutcome;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in and linking through upstream providers, and the account-takeover rules
 * (docs/identity-providers.md, "Linking rules"):
 * <ul>
 *   <li>an identity is {@code (provider, subject)}: the same {@code sub} at two providers is two identities;</li>
 *   <li>a known identity signs in its user, through {@link LoginFlow#upstream} (the same decision as a password);</li>
 *   <li>an unknown identity whose address matches an existing account never signs in to it and links to it only
 *       when the provider asserts the address verified and the operator trusts the provider for that; otherwise the
 *       user must sign in to the account first and link from the account page;</li>
 *   <li>otherwise a new user is created if the provider may create users, its address marked verified only when
 *       asserted and trusted.</li>
 * </ul>
 * The callback is one atomic consume of the browser-bound flow (RFC 6749 §10.12), then the code exchange
 * and token checks; nothing counts before both pass.
 */
public final class FederatedSignIn {
    private static final Logger LOG = LoggerFactory.getLogger(FederatedSignIn.class);
    /** How long the user may take at the provider. */
    public static final Duration FLOW_TTL = Duration.ofMinutes(10);

    /**
     * The callback's parameters (RFC 6749 §4.1.2, §4.1.2.1), and who is signed in on this browser now (null: nobody):
     * a link completes only for the user who started it.
     */
    public record Callback(String state, String code, String error, UUID signedInUser) {
    }

    /** Where to send the browser to start. */
    public record Started(URI redirect) {
    }

    /** What a callback ended in. */
    public sealed interface Outcome {
        /** The login flow's decision for the identity's user (signed in, or another step needed). */
        record Authenticated(SignInOutcome outcome, String returnTo) implements Outcome {
        }

        /** The identity was linked to the signed-in user who asked for it. */
        record Linked(UUID userId, String provider, String returnTo) implements Outcome {
        }

        /** The address belongs to an existing account the user must sign in to first; nothing was linked. */
        record LinkRequired(String providerLabel, String returnTo) implements Outcome {
        }

        /** Nothing happened; {@code userMessage} is short and safe to show. */
        record Refused(Reason reason, String userMessage, String returnTo) implements Outcome {
        }
    }

    /** Why a callback was refused (logs, audit, tests). */
    public enum Reason {
        BAD_STATE, EXPIRED, CANCELLED, PROVIDER_ERROR, PROVIDER_GONE, NO_EMAIL, DOMAIN_NOT_ALLOWED, NO_ACCOUNT, LINKED_ELSEWHERE,
        ACCOUNT_GONE
    }

    private final IdentityProviders providers;
    private final UpstreamFlowStore flows;
    private final UpstreamClient client;
    private final IdentityStore identities;
    private final UpstreamTokenStore tokens;
    private final UserStore users;
    private final LoginFlow flow;
    private final AuditSink audit;
    private final Clock clock;
    private final URI callback;

    public FederatedSignIn(IdentityProviders providers, UpstreamFlowStore flows, UpstreamClient client, IdentityStore identities,
                           UpstreamTokenStore tokens, UserStore users, LoginFlow flow, AuditSink audit, Clock clock, URI callback) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.flows = Objects.requireNonNull(flows, "flows");
        this.client = Objects.requireNonNull(client, "client");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.users = Objects.requireNonNull(users, "users");
        this.flow = Objects.requireNonNull(flow, "flow");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.callback = Objects.requireNonNull(callback, "callback");
    }

    public IdentityProviders providers() {
        return providers;
    }

    /**
     * Starts a round trip to {@code providerName} for the browser holding {@code binding}. For
     * {@link UpstreamFlow.Purpose#LINK}, {@code userId} is the signed-in user (the caller checked the
     * sign-in is recent).
     */
    public Started begin(String providerName, UpstreamFlow.Purpose purpose, UUID userId, String returnTo, String binding) {
        IdentityProvider p = providers.find(providerName).filter(IdentityProvider::enabled)
                .orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "There is no such sign-in provider.",
                        "unknown or disabled provider"));
        Instant now = clock.instant();
        UpstreamFlow f = new UpstreamFlow(RandomTokens.token(), binding, p.name(), RandomTokens.token(), RandomTokens.token(), purpose,
                userId, returnTo, now, now.plus(FLOW_TTL));
        URI redirect;
        try {
            redirect = client.authorizationRequest(p, callback, f.state(), f.nonce(), f.codeVerifier());
        } catch (UpstreamFailure e) {
            LOG.warn("upstream {} sign-in not started: step {} failed: {}", p.name(), e.step(), e.getMessage());
            throw LatchkeyException.withMessage(ErrorCode.SERVICE_UNAVAILABLE, p.label() + " cannot be reached right now. Try again later.",
                    "upstream " + p.name() + " " + e.step());
        }
        flows.save(f);
        return new Started(redirect);
    }

    /** The provider sent the browser back. */
    public Outcome complete(Callback cb, String binding, RequestContext ctx) {
        Instant now = clock.instant();
        if (cb.state() == null || binding == null) {
            return refused(null, Reason.BAD_STATE, "This sign-in did not start here, or was already used. Start again.", "/login",
                    "callback without state or without the browser's flow cookie", ctx);
        }
        Optional<UpstreamFlow> taken = flows.consume(cb.state(), binding);
        if (taken.isEmpty()) {
            return refused(null, Reason.BAD_STATE, "This sign-in did not start here, or was already used. Start again.", "/login",
                    "unknown, replayed or other browser's state", ctx);
        }
        UpstreamFlow f = taken.get();
        if (!now.isBefore(f.expiresAt())) {
            return refused(f.provider(), Reason.EXPIRED, "Your sign-in has expired. Start again.", f.returnTo(), "flow expired", ctx);
        }
        Optional<IdentityProvider> provider = providers.find(f.provider()).filter(IdentityProvider::enabled);
        if (provider.isEmpty()) {
            return refused(f.provider(), Reason.PROVIDER_GONE, "This sign-in provider is no longer available.", f.returnTo(),
                    "provider removed or disabled during the flow", ctx);
        }
        IdentityProvider p = provider.get();
        if (f.purpose() == UpstreamFlow.Purpose.LINK && !f.userId().equals(cb.signedInUser())) {
            return refused(p.name(), Reason.BAD_STATE, "You are no longer signed in to the account this was for. Sign in and try again.",
                    "/account", "link callback without the linking user's session", ctx);
        }
        if (cb.error() != null) {
            boolean cancelled = "access_denied".equals(cb.error());
            return refused(p.name(), cancelled ? Reason.CANCELLED : Reason.PROVIDER_ERROR,
                    cancelled ? "The sign-in with " + p.label() + " was cancelled." : p.label() + " could not sign you in. Try again later.",
                    f.returnTo(), "step AUTHORIZATION: provider answered " + safe(cb.error()), ctx);
        }
        if (cb.code() == null || cb.code().isEmpty() || cb.code().length() > 2048) {
            return refused(p.name(), Reason.PROVIDER_ERROR, p.label() + " could not sign you in. Try again later.", f.returnTo(),
                    "step AUTHORIZATION: callback without a code", ctx);
        }
        UpstreamProfile profile;
        try {
            profile = client.exchange(p, callback, cb.code(), f.codeVerifier(), f.nonce());
        } catch (UpstreamFailure e) {
            return refused(p.name(), Reason.PROVIDER_ERROR, p.label() + " could not sign you in. Try again later.", f.returnTo(),
                    "step " + e.step() + ": " + e.getMessage(), ctx);
        }
        Optional<EmailAddress> email = parse(profile.email());
        if (!p.policy().domainAllowed(email.map(EmailAddress::value).orElse(null), profile.emailVerified())) {
            return refused(p.name(), Reason.DOMAIN_NOT_ALLOWED, "This " + p.label() + " account may not sign in here.", f.returnTo(),
                    "address outside the allowed domains or unverified", ctx);
        }
        return f.purpose() == UpstreamFlow.Purpose.LINK ? link(p, profile, f, ctx) : signIn(p, profile, email, f, ctx);
    }

    private Outcome link(IdentityProvider p, UpstreamProfile profile, UpstreamFlow f, RequestContext ctx) {
        Instant now = clock.instant();
        IdentityStore.Link r = identities.link(new ExternalIdentity(p.name(), profile.subject(), f.userId(), profile.email(), now));
        return switch (r) {
            case IdentityStore.Link.Linked l -> {
                keepTokens(p, profile, f.userId());
                audit.record(AuditEvent.of(AuditType.IDENTITY_LINKED, now, ctx).user(f.userId()).subject(p.name()).detail("from account page")
                        .build());
                yield new Outcome.Linked(f.userId(), p.name(), f.returnTo());
            }
            case IdentityStore.Link.AlreadyLinked a when a.userId().equals(f.userId()) -> new Outcome.Linked(f.userId(), p.name(), f.returnTo());
            case IdentityStore.Link.AlreadyLinked a -> refused(p.name(), Reason.LINKED_ELSEWHERE,
                    "This " + p.label() + " account is already linked to another account.", f.returnTo(), "identity linked to another user", ctx);
            case IdentityStore.Link.NoSuchUser n -> refused(p.name(), Reason.ACCOUNT_GONE, "Your account no longer exists.", "/login",
                    "user deleted during link", ctx);
        };
    }

    private Outcome signIn(IdentityProvider p, UpstreamProfile profile, Optional<EmailAddress> email, UpstreamFlow f, RequestContext ctx) {
        Optional<ExternalIdentity> known = identities.find(p.name(), profile.subject());
        if (known.isPresent()) {
            return signInAs(p, profile, known.get().userId(), f, ctx);
        }
        if (email.isEmpty()) {
            return refused(p.name(), Reason.NO_EMAIL, p.label() + " did not share an e-mail address, so no account can be made for you.",
                    f.returnTo(), "new identity without an e-mail address", ctx);
        }
        Optional<User> existing = users.findByEmail(email.get());
        if (existing.isPresent()) {
            if (p.policy().trustedEmails() && profile.emailVerified()) {
                return linkAndSignIn(p, profile, existing.get().id(), f, ctx, "verified address of a trusted provider");
            }
            audit.record(AuditEvent.of(AuditType.UPSTREAM_SIGNIN_REFUSED, clock.instant(), ctx).user(existing.get().id()).subject(p.name())
                    .detail(profile.emailVerified() ? "address matches an account: sign-in to it needed first" : "unverified address matches an account")
                    .build());
            LOG.info("upstream {} sign-in: address matches an existing account; not linked without a sign-in to it", p.name());
            return new Outcome.LinkRequired(p.label(), f.returnTo());
        }
        if (!p.policy().mayCreateUsers()) {
            return refused(p.name(), Reason.NO_ACCOUNT, "There is no account for this " + p.label() + " sign-in.", f.returnTo(),
                    "new identity and the provider may not create users", ctx);
        }
        Instant now = clock.instant();
        User user = new User(UuidV7.next(clock), email.get(), profile.emailVerified() && p.policy().trustedEmails(),
                profile.name() == null ? null : dev.latchkey.core.account.AccountService.normaliseName(truncate(profile.name())), null,
                UserStatus.ACTIVE, 1, now, now);
        if (!users.create(user)) {
            return new Outcome.LinkRequired(p.label(), f.returnTo());
        }
        audit.record(AuditEvent.of(AuditType.SIGNUP, now, ctx).user(user.id()).subject(email.get().value()).detail("via " + p.name()).build());
        return linkAndSignIn(p, profile, user.id(), f, ctx, "new user");
    }

    private Outcome linkAndSignIn(IdentityProvider p, UpstreamProfile profile, UUID userId, UpstreamFlow f, RequestContext ctx, String why) {
        Instant now = clock.instant();
        switch (identities.link(new ExternalIdentity(p.name(), profile.subject(), userId, profile.email(), now))) {
            case IdentityStore.Link.Linked l -> audit.record(AuditEvent.of(AuditType.IDENTITY_LINKED, now, ctx).user(userId).subject(p.name())
                    .detail(why).build());
            case IdentityStore.Link.AlreadyLinked a -> {
                // a concurrent first sign-in linked it meanwhile: sign in the user it is linked to
                return signInAs(p, profile, a.userId(), f, ctx);
            }
            case IdentityStore.Link.NoSuchUser n -> {
                return refused(p.name(), Reason.ACCOUNT_GONE, "This account no longer exists.", f.returnTo(), "user deleted meanwhile", ctx);
            }
        }
        return signInAs(p, profile, userId, f, ctx);
    }

    private Outcome signInAs(IdentityProvider p, UpstreamProfile profile, UUID userId, UpstreamFlow f, RequestContext ctx) {
        Optional<User> user = users.findById(userId);
        if (user.isEmpty()) {
            return refused(p.name(), Reason.ACCOUNT_GONE, "This account no longer exists.", f.returnTo(), "linked user gone", ctx);
        }
        keepTokens(p, profile, userId);
        boolean upstreamMfa = p.policy().trustUpstreamMfa() && profile.amr().contains("mfa");
        return new Outcome.Authenticated(flow.upstream(user.get(), p.name(), upstreamMfa, ctx), f.returnTo());
    }

    private void keepTokens(IdentityProvider p, UpstreamProfile profile, UUID userId) {
        if (p.policy().storeTokens()) {
            tokens.put(new UpstreamTokenStore.Tokens(p.name(), profile.subject(), userId, profile.accessToken(), profile.refreshToken(),
                    profile.accessExpiresAt(), clock.instant()));
        }
    }

    private Outcome.Refused refused(String provider, Reason reason, String message, String returnTo, String detail, RequestContext ctx) {
        LOG.info("upstream {} callback refused: {} ({})", provider == null ? "-" : provider, reason, detail);
        audit.record(AuditEvent.of(AuditType.UPSTREAM_SIGNIN_REFUSED, clock.instant(), ctx).subject(provider)
                .detail(reason.name().toLowerCase(java.util.Locale.ROOT) + ": " + truncate(detail)).build());
        return new Outcome.Refused(reason, message, returnTo);
    }

    /** Unlinks an identity of {@code userId}, unless it is the account's last way in (no password and no other identity). */
    public void unlink(User user, String provider, String subject, RequestContext ctx) {
        var mine = identities.forUser(user.id());
        boolean has = mine.stream().anyMatch(i -> i.provider().equals(provider) && i.subject().equals(subject));
        if (!has) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "This sign-in is not linked to your account.", "unlink of unknown identity");
        }
        if (!user.hasPassword() && mine.size() <= 1) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                    "This is the only way to sign in to your account. Set a password or link another sign-in first.", "unlink of last way in");
        }
        if (identities.unlink(user.id(), provider, subject)) {
            audit.record(AuditEvent.of(AuditType.IDENTITY_UNLINKED, clock.instant(), ctx).user(user.id()).subject(provider).build());
        }
    }

    private static Optional<EmailAddress> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(EmailAddress.parse(raw));
        } catch (LatchkeyException e) {
            return Optional.empty();
        }
    }

    private static String safe(String upstream) {
        return upstream.length() > 64 ? upstream.substring(0, 64) : upstream.replaceAll("[^A-Za-z0-9_\\-]", "?");
    }

    private static String truncate(String s) {
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}
