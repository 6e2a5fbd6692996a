package dev.latchkey.gateway;

import dev.latchkey.gateway.assertion.AssertionSigner;
import dev.latchkey.gateway.assertion.SigningKeys;
import dev.latchkey.gateway.config.GatewayConfig;
import dev.latchkey.gateway.http.AuthEndpoints;
import dev.latchkey.gateway.http.GatewayApp;
import dev.latchkey.gateway.http.Health;
import dev.latchkey.gateway.login.LoginFlows;
import dev.latchkey.gateway.oidc.OidcClient;
import dev.latchkey.gateway.proxy.ReverseProxy;
import dev.latchkey.gateway.session.PgRefreshLeases;
import dev.latchkey.gateway.session.RedisRefreshLeases;
import dev.latchkey.gateway.session.RefreshLeases;
import dev.latchkey.gateway.session.RefreshLock;
import dev.latchkey.gateway.session.SessionIds;
import dev.latchkey.gateway.session.SessionService;
import dev.latchkey.gateway.session.SessionStore;
import dev.latchkey.sdk.revocation.FeedCredentials;
import dev.latchkey.sdk.revocation.RevocationFeed;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.store.redis.RedisLink;
import dev.latchkey.store.sql.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway (backend-for-frontend): the one composition root. {@code GatewayServer.start(config)} opens the
 * database, follows the server's revocation feed, and listens; close it to stop.
 *
 * <pre>{@code
 * try (GatewayServer g = GatewayServer.start(GatewayConfigLoader.load(System.getenv()))) {
 *     System.out.println("gateway at " + g.baseUrl());
 * }
 * }</pre>
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final GatewayConfig config;
    private final GatewayApp app;
    private final SessionStore store;
    private final List<AutoCloseable> closing;

    private GatewayServer(GatewayConfig config, GatewayApp app, SessionStore store, List<AutoCloseable> closing) {
        this.config = config;
        this.app = app;
        this.store = store;
        this.closing = closing;
    }

    private static void endRevoked(AtomicReference<SessionService> sessions, String subject) {
        SessionService s = sessions.get();
        if (s == null) {
            return;                                   // still starting: nothing is served yet, requests check anyway
        }
        try {
            s.endRevoked(subject);
        } catch (RuntimeException e) {
            LOG.warn("ending revoked gateway sessions failed ({}); they end at their next request", e.toString());
        }
    }

    public static GatewayServer start(GatewayConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** With an injected clock (session timeouts, token expiry, assertion times). */
    public static GatewayServer start(GatewayConfig config, Clock clock) {
        config.warnings().forEach(w -> LOG.warn("configuration: {}", w));
        List<AutoCloseable> closing = new ArrayList<>();
        try {
            GatewayDatabase db = new GatewayDatabase(config.storage().database(), config.storage().poolSize());
            closing.add(db);
            Jdbc jdbc = db.jdbc();
            var key = config.storage().sessionKey();
            SessionIds ids = new SessionIds(key);
            SessionStore store = new SessionStore(jdbc, key, config.sessions().cacheTtl(), 200_000);
            OidcClient oidc = new OidcClient(config.client(), config.http().redirectUri(), config.sessions().refreshLease());
            Optional<TokenVerifier> verifier = Optional.empty();
            AtomicReference<SessionService> sessionService = new AtomicReference<>();
            if (config.client().revocationFeed()) {
                ExecutorService ending = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("latchkey-gateway-revocations").factory());
                closing.add(ending::shutdownNow);
                RevocationFeed feed = RevocationFeed.builder().issuer(config.client().issuer().toString())
                        .credentials(FeedCredentials.clientSecretBasic(config.client().clientId(), config.client().clientSecret()))
                        .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(30))
                        // a roles change ends no session: the next request refreshes into the new roles (SessionService.resolve);
                        // a service account has no gateway session (its tokens are refused by the verifier's revocation check)
                        .onRevocation(e -> {
                            if (e.kind() != dev.latchkey.sdk.revocation.RevocationEvent.Kind.ROLES_CHANGED
                                    && e.kind() != dev.latchkey.sdk.revocation.RevocationEvent.Kind.SERVICE_ACCOUNT_DISABLED) {
                                ending.execute(() -> endRevoked(sessionService, e.userId()));
                            }
                        })
                        .build().start();
                closing.add(feed);
                verifier = Optional.of(TokenVerifier.builder().issuer(config.client().issuer().toString())
                        .audience(config.client().tokenAudience().orElse(config.client().issuer().toString()))
                        .clock(clock).revocationCheck(feed).build());
            }
            PgRefreshLeases pgLeases = new PgRefreshLeases(jdbc);
            Duration lease = config.sessions().refreshLease();
            // Redis is optional while running too: unreachable (at start or later), leases are kept in PostgreSQL
            Optional<RedisLink> redis = config.storage().redisUrl().map(u -> RedisLink.open(u, redisTimeout(lease), "refresh leases",
                    "PostgreSQL (gateway_refresh_leases)"));
            RefreshLeases leases = redis.<RefreshLeases>map(l -> new RedisRefreshLeases(l, "latchkey:gateway:refresh:", pgLeases))
                    .orElse(pgLeases);
            RefreshLock lock = new RefreshLock(leases, lease);
            closing.add(lock);
            SessionService sessions = new SessionService(store, lock, ids, oidc, verifier, config.sessions(), clock);
            sessionService.set(sessions);
            AssertionSigner assertions = new AssertionSigner(SigningKeys.loadOrCreate(jdbc, key), config.http().origin(),
                    config.assertion().audience(), clock);
            LoginFlows flows = new LoginFlows(jdbc, ids, key, clock);
            AuthEndpoints auth = new AuthEndpoints(oidc, flows, sessions, assertions,
                    config.routing().defaultPage());
            ReverseProxy proxy = new ReverseProxy(config.proxy(), config.http().publicUrl());
            Health health = new Health(() -> jdbc.queryOne("SELECT 1", rs -> rs.getInt(1)).isPresent(),
                    redis.map(l -> l::isUp));
            // API keys on API routes are exchanged as this gateway's client (it needs the token-exchange grant)
            var apiKeys = new dev.latchkey.gateway.proxy.ApiKeyRelay(dev.latchkey.sdk.apikey.ApiKeyExchanger.builder()
                    .issuer(config.client().issuer().toString()).clientSecretBasic(config.client().clientId(), config.client().clientSecret())
                    .clock(clock).build());
            GatewayApp app = new GatewayApp(config.http(), config.routing(), auth, sessions, assertions, proxy, health, apiKeys).start();
            closing.add(app::stop);
            ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("latchkey-gateway-sweeper").factory());
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    flows.deleteExpired();
                    int n = store.deleteExpired(clock.instant(), config.sessions().idle());
                    if (n > 0) {
                        LOG.info("deleted {} expired gateway sessions", n);
                    }
                    pgLeases.deleteExpired();               // leases left by a node that died holding them
                } catch (RuntimeException e) {
                    LOG.warn("session sweep failed: {}", e.toString());
                }
            }, 1, 1, TimeUnit.MINUTES);
            closing.add(sweeper::shutdownNow);
            LOG.info("gateway listening on port {} for {} (issuer {})", app.port(), config.http().origin(), config.client().issuer());
            return new GatewayServer(config, app, store, closing);
        } catch (RuntimeException e) {
            closeAll(closing);
            throw e;
        }
    }

    /**
     * Redis's connect and command timeout: a claim that meets a dying Redis falls back to PostgreSQL after it, so it
     * is a small part of the lease (at most 2 s, as the server's).
     */
    private static Duration redisTimeout(Duration lease) {
        Duration quarter = lease.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(2)) < 0 ? quarter : Duration.ofSeconds(2);
    }

    public int port() {
        return app.port();
    }

    /** The address this node listens on (http://localhost:port). */
    public String baseUrl() {
        return "http://localhost:" + port();
    }

    public GatewayConfig config() {
        return config;
    }

    /** The session store (for tests and the benchmark harness). */
    public SessionStore sessions() {
        return store;
    }

    /** Drains the listener (requests in flight finish, for at most {@link GatewayApp#DRAIN}), then closes the rest. */
    @Override
    public void close() {
        if (closing.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        LOG.info("gateway shutting down: no new connections, finishing the requests in flight (at most {} s)", GatewayApp.DRAIN.toSeconds());
        closeAll(closing);
        LOG.info("gateway stopped after {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    private static void closeAll(List<AutoCloseable> closing) {
        for (AutoCloseable c : closing.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", c, e.toString());
            }
        }
        closing.clear();
    }
}
