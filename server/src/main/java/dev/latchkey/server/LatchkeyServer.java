package dev.latchkey.server;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.server.admin.AdminApi;
import dev.latchkey.server.admin.RolesAdminApi;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.server.oidc.AuthorizeEndpoint;
import dev.latchkey.server.oidc.Discovery;
import dev.latchkey.server.oidc.IntrospectionEndpoint;
import dev.latchkey.server.oidc.LogoutEndpoint;
import dev.latchkey.server.oidc.OAuthRequests;
import dev.latchkey.server.oidc.OAuthResponses;
import dev.latchkey.server.oidc.ParEndpoint;
import dev.latchkey.server.oidc.RevocationEndpoint;
import dev.latchkey.server.oidc.TokenEndpoint;
import dev.latchkey.server.oidc.UserinfoEndpoint;
import dev.latchkey.server.firstparty.BearerAuth;
import dev.latchkey.server.firstparty.FirstPartyAuthApi;
import dev.latchkey.server.firstparty.FirstPartyOrgApi;
import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.HttpApp;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.Problems;
import dev.latchkey.server.http.RateLimits;
import dev.latchkey.server.http.Requests;
import dev.latchkey.server.http.SecurityHeaders;
import dev.latchkey.server.ops.OpsEndpoints;
import dev.latchkey.server.pages.Csrf;
import dev.latchkey.core.mail.MailTransport;
import dev.latchkey.core.mail.OutboxDelivery;
import dev.latchkey.server.firstparty.FirstPartySignIn;
import dev.latchkey.server.mail.DevMailPage;
import dev.latchkey.server.mail.DevMailbox;
import dev.latchkey.server.mail.MailDelivery;
import dev.latchkey.server.mail.SmtpTransport;
import dev.latchkey.server.pages.AccountPages;
import dev.latchkey.server.pages.FederationPages;
import dev.latchkey.server.pages.HostedPages;
import dev.latchkey.server.pages.MfaPages;
import dev.latchkey.server.pages.PasskeyPages;
import dev.latchkey.server.pages.SignInPages;
import dev.latchkey.server.pages.Pages;
import dev.latchkey.server.ratelimit.LocalRateLimiter;
import dev.latchkey.server.relations.FgaApi;
import dev.latchkey.server.revocation.RevocationFeedEndpoint;
import dev.latchkey.server.ops.Readiness;
import dev.latchkey.store.redis.RedisLink;
import dev.latchkey.store.redis.RedisRateLimiter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component from the configuration, in one place, and starts
 * the HTTP server. Nothing is discovered or injected implicitly.
 */
public final class LatchkeyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LatchkeyServer.class);

    private final LatchkeyConfig config;
    /** Connect and command timeout towards Redis: past it, a request is decided by this node's own rate limits. */
    static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Backend backend;
    private HttpApp http;
    private HttpApp management;
    private RedisLink redis;
    private Readiness readiness;
    private RevocationFeedEndpoint feed;
    private ScheduledExecutorService scheduler;

    private LatchkeyServer(LatchkeyConfig config) {
        this.config = config;
    }

    public static LatchkeyServer start(LatchkeyConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static LatchkeyServer start(LatchkeyConfig config, Clock clock) {
        LatchkeyServer s = new LatchkeyServer(config);
        try {
            s.boot(clock);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void boot(Clock clock) {
        long t0 = System.nanoTime();
        backend = Backend.open(config, clock);
        long tDb = System.nanoTime();
        backend.keys().start();
        backend.revocations().start();
        LatchkeyConfig.Tokens tc = config.tokens();
        LatchkeyConfig.Passwords pc = config.passwords();
        MasterKey master = backend.masterKey();

        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RateLimiter limiter = rateLimiter(metrics);
        readiness = new Readiness(backend.database().jdbc(), Optional.ofNullable(redis).map(r -> r::isUp));
        JsonBodies bodies = new JsonBodies(config.http().maxBody());
        Cookies cookies = new Cookies(config.http().secureCookies());
        Requests requests = new Requests(config.http().trustProxy(), config.http().publicUrl());
        RateLimits rateLimits = new RateLimits(limiter, config.abuse().rateLimits());
        SignInServices si = backend.signIn();
        ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
        resources.add(background::shutdown);
        SignInPages.Mail mailSide = new SignInPages.Mail(si.flow(), si.verification(), si.passwordReset(), si.magicLinks(), si.registration(),
                config.mail().flows(), si.mailAvailable(), config.mail().perAddress(), config.mail().perIp(), background);
        SignInPages signInPages = new SignInPages(mailSide, new Pages(), new Csrf(master.derive("csrf"), cookies), cookies, requests,
                rateLimits, pc.minLength());
        HostedPages pages = new HostedPages(backend.accounts(), backend.sessions(), new Pages(),
                new Csrf(master.derive("csrf"), cookies), cookies, requests, rateLimits, config.abuse(), pc.minLength(), signInPages);
        Pages renderer = new Pages();
        Csrf csrf = new Csrf(master.derive("csrf"), cookies);
        OAuthRequests oauthRequests = new OAuthRequests(bodies);
        OAuthResponses oauthResponses = new OAuthResponses(bodies.mapper());
        String issuer = config.http().issuer();
        OptionalInt managementPort = config.ops().managementPort();
        // with a management port, /metrics is served only there; health on both listeners
        Set<OpsEndpoints.Route> publicOps = managementPort.isPresent()
                ? EnumSet.of(OpsEndpoints.Route.JWKS, OpsEndpoints.Route.HEALTH) : EnumSet.allOf(OpsEndpoints.Route.class);
        feed = new RevocationFeedEndpoint(oauthRequests, oauthResponses, backend.clientAuthenticator(), backend.revocationLog(),
                backend.revocations(), bodies.mapper(), clock, metrics, RevocationFeedEndpoint.Limits.DEFAULTS);
        FirstPartyAuthApi firstParty = new FirstPartyAuthApi(backend.accounts(), backend.sessions(), backend.accessTokens(),
                new BearerAuth(backend.verifier(), backend.liveSessions(), FirstPartyAuthApi.CLIENT_ID),
                bodies, cookies, requests, rateLimits, config.abuse(), tc.audience(),
                new FirstPartySignIn(mailSide, backend.accounts(), si.emailChange(), bodies, cookies, requests, rateLimits).withMfa(si.mfa()));
        List<Endpoints> endpoints = new ArrayList<>(List.of(
                new OpsEndpoints(backend.keys(), readiness, metrics, tc.jwksMaxAge(), publicOps),
                firstParty,
                new FirstPartyOrgApi(firstParty, backend.orgSwitch(), backend.orgs(), backend.clientStore(), bodies),
                new dev.latchkey.server.firstparty.FirstPartyInvitationApi(firstParty, backend.invitations(), backend.users(), bodies, requests),
                pages,
                new Discovery(issuer, bodies.mapper()),
                new AuthorizeEndpoint(backend.authorization(), pages, oauthRequests, renderer, csrf, issuer),
                new dev.latchkey.server.oidc.OrgChooserPage(backend.authorization(), pages, oauthRequests, renderer, csrf),
                new TokenEndpoint(oauthRequests, oauthResponses, backend.clientAuthenticator(), backend.tokens(), requests, rateLimits,
                        config.abuse()),
                new ParEndpoint(oauthRequests, oauthResponses, backend.clientAuthenticator(), backend.authorization()),
                new UserinfoEndpoint(backend.inspection(), backend.liveSessions(), oauthResponses),
                new IntrospectionEndpoint(oauthRequests, oauthResponses, backend.clientAuthenticator(), backend.inspection()),
                new RevocationEndpoint(oauthRequests, oauthResponses, backend.clientAuthenticator(), backend.inspection(), requests),
                new LogoutEndpoint(pages, backend.idTokenHints(), backend.clientStore(), oauthRequests, renderer, csrf),
                feed,
                new AdminApi(backend.clients(), backend.accounts(), backend.users(), backend.orgs(), backend.audit(), backend.clock(),
                        backend.adminKeys(), config.ops().adminApiKey(),
                        bodies, requests),
                new RolesAdminApi(backend.roleAdmin(), backend.orgs(), bodies, requests),
                new dev.latchkey.server.admin.OrgsAdminApi(backend.organizations(),
                        backend.orgs(), backend.audit(), bodies, requests),
                new dev.latchkey.server.admin.InvitationsAdminApi(backend.invitations(), bodies, requests, clock),
                dev.latchkey.server.apikey.ApiKeysAdminApi.forUsers(backend.apiKeys(), backend.accounts(), bodies, requests, clock),
                new dev.latchkey.server.admin.ServiceAccountsAdminApi(backend.serviceAccounts(), backend.serviceAccountClients(), bodies, requests),
                dev.latchkey.server.admin.ServiceAccountApiKeysAdminApi.endpoints(backend.apiKeys(), backend.serviceAccounts(), bodies, requests, clock),
                new dev.latchkey.server.admin.OrgAdminKeysApi(backend.adminKeys(), backend.orgs(), backend.audit(), clock, bodies, requests),
                new FgaApi(backend.relations(), adminKey(), backend.verifier(), issuer, bodies),
                new dev.latchkey.server.admin.IdentityProvidersApi(si.federation().providers(), bodies)));
        endpoints.add(new AccountPages(new AccountPages.Services(backend.accounts(), backend.sessions(), si.verification(), si.emailChange(),
                si.identities(), si.mailAvailable(), config.abuse().loginPerAccount(), si.federation().providers(), si.passkeys()), pages,
                signInPages, mailSide, renderer, csrf, requests, rateLimits, pc.minLength()));
        endpoints.add(new dev.latchkey.server.pages.ApiKeyPages(backend.apiKeys(), backend.orgs(), pages, signInPages, renderer, csrf, requests, clock));
        endpoints.add(new FederationPages(si.federation(), backend.users(), pages, signInPages, renderer, csrf, cookies, requests, clock,
                rateLimits, config.abuse().loginPerIp()));
        endpoints.add(new PasskeyPages(new PasskeyPages.Services(si.passkeys(), si.flow(), config.abuse().accountPerIp(),
                config.abuse().loginPerIp()), pages, csrf, cookies, requests, rateLimits, bodies));
        endpoints.add(new dev.latchkey.server.pages.InvitationPages(backend.invitations(), backend.users(), pages, signInPages, renderer, csrf, requests));
        endpoints.add(new MfaPages(si.mfa(), backend.accounts(), pages, signInPages, renderer, csrf, cookies, requests, bodies));
        startMail(clock, si, renderer).ifPresent(endpoints::add);
        Problems problems = new Problems(bodies.mapper());
        SecurityHeaders securityHeaders = new SecurityHeaders("https".equals(config.http().publicUrl().getScheme()));
        http = new HttpApp(new HttpApp.Listen(config.http().host(), config.http().port(), config.http().maxBody()),
                problems, securityHeaders, metrics, endpoints).start();
        if (managementPort.isPresent()) {
            management = new HttpApp(new HttpApp.Listen(config.http().host(), managementPort.getAsInt(), config.http().maxBody()),
                    problems, securityHeaders, metrics, List.of(new OpsEndpoints(backend.keys(), readiness, metrics, tc.jwksMaxAge(),
                    EnumSet.of(OpsEndpoints.Route.HEALTH, OpsEndpoints.Route.METRICS)))).start();
            LOG.info("management listener on {}:{} (/metrics, /health/live, /health/ready)", config.http().host(), management.port());
        }

        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("latchkey-scheduler").daemon().factory());
        scheduler.scheduleWithFixedDelay(this::keyMaintenance, 1, 1, TimeUnit.MINUTES);
        LOG.info("Latchkey listening on {}:{} (issuer {}), ready in {} ms, {} ms after the database was up",
                config.http().host(), http.port(), config.http().issuer(), (System.nanoTime() - t0) / 1_000_000,
                (System.nanoTime() - tDb) / 1_000_000);
        config.warnings().forEach(w -> LOG.warn("configuration: {}", w));
    }

    /** A presented admin API key: the bootstrap key, or one made with {@code latchkey admin keys create}. */
    private java.util.function.Predicate<String> adminKey() {
        java.util.Optional<byte[]> bootstrap = config.ops().adminApiKey().map(dev.latchkey.core.crypto.Digests::sha256);
        return key -> bootstrap.map(b -> dev.latchkey.core.crypto.Digests.equal(b, dev.latchkey.core.crypto.Digests.sha256(key))).orElse(false)
                || backend.adminKeys().valid(key);
    }

    /**
     * Starts mail delivery: over SMTP when configured; in dev mode without SMTP into the dev mailbox,
     * whose page it returns; otherwise nothing (mail features are off).
     */
    private Optional<Endpoints> startMail(Clock clock, SignInServices si, Pages renderer) {
        LatchkeyConfig.Mail mc = config.mail();
        DevMailbox devMailbox = null;
        MailTransport transport;
        if (mc.smtp().isPresent()) {
            transport = new SmtpTransport(mc.smtp().get(), mc.productName());
            LOG.info("mail is delivered over SMTP ({})", mc.smtp().get());
        } else if (config.mode() == LatchkeyConfig.Mode.DEV) {
            devMailbox = new DevMailbox(System.out);
            transport = devMailbox;
            LOG.info("no SMTP server configured: mails go to the dev mailbox at {}/dev/mail", config.http().issuer());
        } else {
            LOG.info("no SMTP server configured ({}): e-mail verification, password reset and sign-in links are off",
                    dev.latchkey.server.config.Settings.SMTP_HOST.envName());
            return Optional.empty();
        }
        MailDelivery delivery = new MailDelivery(new OutboxDelivery(si.outbox(), transport, clock, Duration.ofMinutes(2), 1),
                Duration.ofSeconds(1)).start();
        si.onMailQueued(delivery::wake);
        resources.add(0, delivery);
        this.devMailbox = devMailbox;
        return Optional.ofNullable(devMailbox).map(box -> new DevMailPage(box, renderer));
    }

    private volatile DevMailbox devMailbox;

    /** The dev mailbox ({@code latchkey dev} without SMTP), if this server has one. */
    public Optional<DevMailbox> devMailbox() {
        return Optional.ofNullable(devMailbox);
    }

    /**
     * This node's own buckets, or Redis's shared ones when Redis is configured — with this node's as the fallback
     * while Redis is unreachable (at start-up too: the node starts anyway and connects when Redis answers).
     */
    private RateLimiter rateLimiter(MeterRegistry metrics) {
        LocalRateLimiter local = new LocalRateLimiter(1_000_000);
        Optional<String> url = config.storage().redisUrl();
        if (url.isEmpty()) {
            return local;
        }
        redis = RedisLink.open(url.get(), REDIS_TIMEOUT, "rate limits");
        resources.add(redis);
        Gauge.builder("latchkey.redis.up", redis, r -> r.isUp() ? 1 : 0)
                .description("1 while Redis answers; 0 while rate limits are counted per node until it is back").register(metrics);
        return new RedisRateLimiter(redis, "latchkey:", local);
    }

    private void keyMaintenance() {
        try {
            backend.keys().rotateIfDue();
            backend.keys().reload();
            backend.signIn().mailTokens().purgeExpired();
            backend.signIn().mfa().challenges().purgeExpired();
            backend.signIn().passkeys().purgeExpiredChallenges();
            backend.signIn().outbox().purgeDone(backend.clock().instant().minus(Duration.ofDays(7)));
            backend.signIn().purgeExpiredUpstreamFlows();
        } catch (RuntimeException e) {
            LOG.error("signing key maintenance failed: {}", e.getMessage(), e);
        }
    }

    /** Every HTTP route of the main listener, as {@code "METHOD /path/{param}"}. */
    public java.util.List<String> routes() {
        return http.routes();
    }

    public int port() {
        return http.port();
    }

    /** The management listener's port, when {@code LATCHKEY_MANAGEMENT_PORT} is set. */
    public OptionalInt managementPort() {
        return management == null ? OptionalInt.empty() : OptionalInt.of(management.port());
    }

    public LatchkeyConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    /**
     * Drains, then stops: revocation-feed streams end (their consumers resume on another node), the listener takes
     * no new connections and answers a new request on an open one with 503, and the requests in flight finish (for at
     * most {@link HttpApp#DRAIN}); then the database and Redis connections close. Logged when it begins and when it
     * is done. Safe to call more than once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        if (http != null) {
            LOG.info("Latchkey shutting down: no new connections, finishing the requests in flight (at most {} s)",
                    HttpApp.DRAIN.toSeconds());
        }
        if (feed != null) {
            feed.drain();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (http != null) {
            http.stop();
        }
        if (management != null) {
            management.stop();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("error while shutting down: {}", e.getMessage());
            }
        }
        if (backend != null) {
            backend.close();
        }
        if (http != null) {
            LOG.info("Latchkey stopped after {} ms", (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
