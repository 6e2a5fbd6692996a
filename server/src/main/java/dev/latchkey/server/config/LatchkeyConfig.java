package dev.latchkey.server.config;

import dev.latchkey.core.authn.MfaPolicy;
import dev.latchkey.core.authz.engine.Limits;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.identity.IdentityProvider;
import dev.latchkey.core.mail.MailFlowPolicy;
import dev.latchkey.core.ratelimit.LockoutPolicy;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.store.sql.PostgresUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The whole configuration as one immutable tree, built and validated once by {@link ConfigLoader}.
 * Each component receives only its own slice.
 */
public record LatchkeyConfig(Mode mode, Http http, Storage storage, Tokens tokens, SessionPolicy sessions,
                             Passwords passwords, Abuse abuse, Ops ops, List<String> warnings, Mail mail,
                             List<IdentityProvider> identityProviders,
                             dev.latchkey.core.credential.passkey.RelyingParty passkeys,
                             Limits relations,
                             Mfa mfa,
                             ApiKeys apiKeys) {

    /** {@code latchkey dev} (embedded database, generated master key) or {@code latchkey server}. */
    public enum Mode { DEV, PRODUCTION }

    public record Http(String host, int port, URI publicUrl, int maxBody, boolean trustProxy, boolean secureCookies) {
        /** The public URL without a trailing slash: the issuer identifier. */
        public String issuer() {
            String s = publicUrl.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
    }

    /** Where state lives. An empty database URL means the embedded PostgreSQL (dev only). */
    public record Storage(Path dataDir, Optional<PostgresUrl> databaseUrl, int poolSize, int embeddedPort,
                          Optional<String> redisUrl, Optional<MasterKey> masterKey) {
    }

    public record Tokens(Duration accessTtl, Duration idTokenTtl, List<String> audience, Duration keyRotation, Duration keyPrepublish,
                         Duration jwksMaxAge) {
    }

    public record Passwords(int minLength, int argon2MemoryKib, int argon2Iterations, int argon2Parallelism,
                            Optional<byte[]> pepper, String pepperId) {
    }

    public record Abuse(LockoutPolicy lockout, boolean rateLimits, RateLimit loginPerIp, RateLimit loginPerAccount,
                        RateLimit signupPerIp, RateLimit refreshPerIp, RateLimit accountPerIp,
                        RateLimit apiKeyExchangePerKey, RateLimit apiKeyExchangePerClient) {
    }

    /**
     * E-mail: SMTP (empty: none; dev mode then keeps mails in its dev mailbox), the product name mails
     * carry, the flows' policy, the mail rate limits, and how long a mailed organization invitation lives.
     */
    public record Mail(Optional<Smtp> smtp, String productName, MailFlowPolicy flows, RateLimit perAddress, RateLimit perIp,
                       java.time.Duration invitationTtl) {
        public Mail(Optional<Smtp> smtp, String productName, MailFlowPolicy flows, RateLimit perAddress, RateLimit perIp) {
            this(smtp, productName, flows, perAddress, perIp, java.time.Duration.ofDays(7));
        }
    }

    /** Multi-factor sign-in: who must use a second factor, and how recent one must be for sensitive actions. */
    /** API keys: the environment in new keys, their longest lifetime, the lifetime of the tokens they are exchanged for. */
    public record ApiKeys(String env, Duration maxLifetime, Duration tokenTtl) {
    }

    public record Mfa(MfaPolicy policy, Duration recent) {
    }

    /** How to reach the SMTP server. */
    public record Smtp(String host, int port, SmtpTls tls, Optional<String> user, Optional<String> password, String from) {
        @Override
        public String toString() {
            return "Smtp[" + host + ":" + port + " " + tls + "]";
        }
    }

    /** starttls (required upgrade), tls (implicit, port 465) or none. */
    public enum SmtpTls { STARTTLS, TLS, NONE }

    /** @param managementPort the operators' listener ({@code /metrics}, health), if any; 0: any free port */
    public record Ops(String logFormat, String logLevel, Optional<String> adminApiKey, OptionalInt managementPort) {
    }
}
