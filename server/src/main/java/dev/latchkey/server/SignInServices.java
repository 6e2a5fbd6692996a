package dev.latchkey.server;

import dev.latchkey.core.account.AccountService;
import dev.latchkey.core.account.Registration;
import dev.latchkey.core.account.EmailChange;
import dev.latchkey.core.account.EmailVerification;
import dev.latchkey.core.account.PasswordReset;
import dev.latchkey.core.account.VerificationPolicy;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.authn.LoginFlow;
import dev.latchkey.core.authn.MagicLinks;
import dev.latchkey.core.credential.PasswordCredentials;
import dev.latchkey.core.credential.SecondFactor;
import dev.latchkey.core.credential.passkey.PasskeyMfa;
import dev.latchkey.core.credential.passkey.PasskeySecondFactor;
import dev.latchkey.core.credential.passkey.PasskeyService;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.identity.FederatedSignIn;
import dev.latchkey.core.identity.IdentityProviders;
import dev.latchkey.core.identity.IdentityStore;
import dev.latchkey.core.identity.NimbusUpstreamClient;
import dev.latchkey.store.sql.PgProviderStore;
import dev.latchkey.store.sql.PgUpstreamFlowStore;
import dev.latchkey.store.sql.PgUpstreamTokenStore;
import java.net.URI;
import dev.latchkey.core.mail.MailFlowPolicy;
import dev.latchkey.core.mail.MailTokens;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.server.mail.MailComposer;
import dev.latchkey.store.sql.Jdbc;
import dev.latchkey.store.sql.PgIdentityStore;
import dev.latchkey.store.sql.PgLoginThrottle;
import dev.latchkey.store.sql.PgMailOutbox;
import dev.latchkey.store.sql.PgMailTokenStore;
import dev.latchkey.store.sql.PgPasskeyChallengeStore;
import dev.latchkey.store.sql.PgPasskeyStore;
import dev.latchkey.store.sql.PgUserStore;
import dev.latchkey.store.sql.PgOrgStore;
import dev.latchkey.store.sql.PgPendingSignInStore;
import dev.latchkey.store.sql.PgRecoveryCodeStore;
import dev.latchkey.store.sql.PgTotpStore;
import dev.latchkey.core.authn.MfaChallenges;
import dev.latchkey.core.authn.MfaPolicy;
import dev.latchkey.core.credential.FactorAttempts;
import dev.latchkey.core.credential.recovery.RecoveryCodes;
import dev.latchkey.core.credential.totp.TotpCredentials;
import java.time.Clock;
import java.util.List;

/**
 * The sign-in room of the backend: the login flow, credentials, external identities, mailed tokens,
 * the outbox, the e-mail flows and passkeys, built from the configuration. Mail is available with SMTP, or in
 * dev mode through the dev mailbox; without either, the flows that need it are off.
 */
public final class SignInServices {
    private final boolean mailAvailable;
    private final PasswordCredentials passwords;
    private final AccountService accounts;
    private final LoginFlow flow;
    private final PgIdentityStore identities;
    private final MailTokens mailTokens;
    private final PgMailOutbox outbox;
    private final MailComposer mailer;
    private final EmailVerification verification;
    private final PasswordReset passwordReset;
    private final MagicLinks magicLinks;
    private final EmailChange emailChange;
    private final MfaServices mfa;
    private final Registration registration;
    private final FederatedSignIn federation;
    private final PgUpstreamFlowStore upstreamFlows;
    private final Clock clock;
    private final PasskeyService passkeys;
    private volatile Runnable mailQueued = () -> { };

    SignInServices(LatchkeyConfig config, Jdbc jdbc, PgUserStore users, PasswordsAdapter hashing, AuditSink audit, MasterKey masterKey,
                   Clock clock) {
        LatchkeyConfig.Mail mc = config.mail();
        this.mailAvailable = mc.smtp().isPresent() || config.mode() == LatchkeyConfig.Mode.DEV;
        MailFlowPolicy flows = mc.flows();
        VerificationPolicy policy = mailAvailable ? flows.verification() : VerificationPolicy.OFF;
        this.passwords = new PasswordCredentials(users, hashing, hashing, audit, clock);
        this.accounts = new AccountService(users, passwords, audit, clock);
        PgLoginThrottle throttle = new PgLoginThrottle(jdbc);
        FactorAttempts attempts = new FactorAttempts(throttle, config.abuse().lockout(), audit, masterKey.derive("factor-throttle"));
        TotpCredentials totp = new TotpCredentials(new PgTotpStore(jdbc), masterKey, attempts, audit, clock, mc.productName());
        RecoveryCodes recovery = new RecoveryCodes(new PgRecoveryCodeStore(jdbc), attempts, audit, clock, masterKey.derive("recovery-codes"));
        PgOrgStore orgs = new PgOrgStore(jdbc);
        this.identities = new PgIdentityStore(jdbc);
        PgPasskeyStore passkeyStore = new PgPasskeyStore(jdbc);
        this.passkeys = new PasskeyService(passkeyStore, new PgPasskeyChallengeStore(jdbc), users, identities, config.passkeys(), audit, clock);
        List<SecondFactor> secondFactors = List.of(totp, recovery, new PasskeySecondFactor(passkeyStore));
        this.flow = new LoginFlow(users, passwords, secondFactors, throttle, config.abuse().lockout(), policy, audit, clock,
                masterKey.derive("login-throttle"), config.mfa().policy(),
                id -> MfaPolicy.attributesOf(orgs.organizationsOf(id)));
        MfaChallenges challenges = new MfaChallenges(new PgPendingSignInStore(jdbc), flow, List.of(totp, recovery), clock);
        this.mfa = new MfaServices(totp, recovery, challenges, new PasskeyMfa(challenges, passkeys, attempts, clock), flow,
                config.mfa().recent(), clock);
        this.mailTokens = new MailTokens(new PgMailTokenStore(jdbc), audit, clock);
        this.outbox = new PgMailOutbox(jdbc, masterKey);
        this.mailer = new MailComposer(outbox, () -> mailQueued.run(), config.http().issuer(), mc.productName(), mailAvailable, clock);
        this.verification = new EmailVerification(users, mailTokens, mailer, flows, audit, clock);
        this.passwordReset = new PasswordReset(users, passwords, mailTokens, mailer, flows, audit, clock);
        this.magicLinks = new MagicLinks(users, mailTokens, mailer, flow, flows, audit, clock);
        this.emailChange = new EmailChange(users, passwords, mailTokens, mailer, flows, audit, clock);
        this.registration = new Registration(accounts, users, mailer, policy, audit, clock);
        IdentityProviders providers = new IdentityProviders(config.identityProviders(), new PgProviderStore(jdbc, masterKey, clock));
        this.upstreamFlows = new PgUpstreamFlowStore(jdbc, masterKey);
        this.clock = clock;
        this.federation = new FederatedSignIn(providers, upstreamFlows, new NimbusUpstreamClient(clock), identities,
                new PgUpstreamTokenStore(jdbc, masterKey), users, flow, audit, clock, URI.create(config.http().issuer() + CALLBACK_PATH));
    }

    /** Where upstream providers send the browser back (register this redirect URI at the provider). */
    public static final String CALLBACK_PATH = "/login/idp/callback";

    public FederatedSignIn federation() {
        return federation;
    }

    /** Drops upstream round trips that were never completed (the maintenance job). */
    public int purgeExpiredUpstreamFlows() {
        return upstreamFlows.purgeExpired(clock.instant());
    }

    /** The delivery thread's wake-up, called after each enqueue on this node. */
    public void onMailQueued(Runnable r) {
        this.mailQueued = r;
    }

    public boolean mailAvailable() {
        return mailAvailable;
    }

    public PasswordCredentials passwords() {
        return passwords;
    }

    AccountService accounts() {
        return accounts;
    }

    public MfaServices mfa() {
        return mfa;
    }

    public LoginFlow flow() {
        return flow;
    }

    public IdentityStore identities() {
        return identities;
    }

    public MailTokens mailTokens() {
        return mailTokens;
    }

    public PgMailOutbox outbox() {
        return outbox;
    }

    public MailComposer mailer() {
        return mailer;
    }

    public EmailVerification verification() {
        return verification;
    }

    public PasswordReset passwordReset() {
        return passwordReset;
    }

    public MagicLinks magicLinks() {
        return magicLinks;
    }

    public Registration registration() {
        return registration;
    }

    public EmailChange emailChange() {
        return emailChange;
    }

    public PasskeyService passkeys() {
        return passkeys;
    }
}
