package dev.latchkey.sdk.revocation;

import dev.latchkey.sdk.token.RevocationCheck;
import dev.latchkey.sdk.token.VerifiedToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the issuer's revocation feed (Server-Sent Events, HTML Living Standard §9.2) and answers the
 * {@link RevocationCheck} of a {@code TokenVerifier} from memory: a token is refused when its session
 * ({@code sid}) was ended, its {@code ver} is below its user's security version, or its user was disabled
 * or deleted after it was issued.
 *
 * <pre>{@code
 * RevocationFeed feed = RevocationFeed.builder()
 *         .issuer("https://auth.example.com")
 *         .credentials(FeedCredentials.clientSecretBasic("notes-api", secret))   // registered with scope latchkey:revocations
 *         .build().start();
 * TokenVerifier verifier = TokenVerifier.builder().issuer(...).audience(...).revocationCheck(feed).build();
 * }</pre>
 *
 * <p>One virtual thread reads the stream; a lost stream is resumed with {@code Last-Event-ID} after an
 * exponential, jittered back-off, so no revocation is missed. The first connection (and any whose position
 * the server no longer knows) replays the issuer's last 15 minutes. A stream that sends nothing, not even
 * its 15-second ping, for {@code staleAfter} is treated as dead. While disconnected the check keeps
 * answering from what it knows; {@link #isConnected()} and {@link #lastActivity()} are for health checks.
 */
public final class RevocationFeed implements RevocationCheck, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RevocationFeed.class);
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(30);

    private final String issuer;
    private final String clientId;
    private final URI configuredEndpoint;
    private final FeedConnection connection;
    private final Clock clock;
    private final Duration staleAfter;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final RevocationState state;
    private final ScheduledExecutorService timer;
    private final CountDownLatch firstReady = new CountDownLatch(1);
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final Object lifecycle = new Object();
    private final Consumer<RevocationEvent> listener;
    private Thread reader;
    private volatile boolean running;
    private volatile boolean connected;
    private volatile InputStream current;
    private volatile URI endpoint;
    private volatile long lastEventId = -1;
    private volatile long lastActivityNanos;
    private volatile Instant lastActivity;
    private volatile Instant lastSweep = Instant.MIN;
    private int lastRefusal;

    private RevocationFeed(Builder b) {
        this.issuer = b.issuer;
        this.clientId = b.credentials.clientId();
        this.configuredEndpoint = b.endpoint;
        this.clock = b.clock;
        HttpClient http = b.httpClient != null ? b.httpClient : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.connection = new FeedConnection(http, b.credentials, b.issuer, b.requestTimeout, b.clock);
        this.staleAfter = b.staleAfter;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.state = new RevocationState(b.retention);
        this.listener = b.listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("latchkey-revocation-feed-timer").daemon().factory());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts following the feed in the background; returns at once. */
    public RevocationFeed start() {
        synchronized (lifecycle) {
            if (running || reader != null) {
                return this;
            }
            running = true;
            reader = Thread.ofVirtual().name("latchkey-revocation-feed").start(this::follow);
            timer.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
        }
        return this;
    }

    /** Waits until the first connection has delivered its backlog (the server's {@code ready} event). */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return firstReady.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isRevoked(VerifiedToken token) {
        return state.isRevoked(token);
    }

    /** True while a stream is open. */
    public boolean isConnected() {
        return connected;
    }

    /** The last revocation received (the position the next connection resumes after). */
    public OptionalLong lastEventId() {
        long id = lastEventId;
        return id < 0 ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** When the stream last sent anything (an event or a ping); empty before the first connection. */
    public Optional<Instant> lastActivity() {
        return Optional.ofNullable(lastActivity);
    }

    /** How many times a stream was opened (reconnects are this minus one). */
    public long connections() {
        return connections.get();
    }

    /** How many revocations were received since start (a replay after a lost position counts again). */
    public long eventsReceived() {
        return events.get();
    }

    /** Revoked sessions currently remembered. */
    public int revokedSessionCount() {
        return state.sessions();
    }

    /** Users with a security-version or disable/delete floor currently remembered. */
    public int revokedUserCount() {
        return state.users();
    }

    private void follow() {
        int failures = 0;
        while (running) {
            boolean opened = false;
            try {
                URI uri = endpoint();
                InputStream body = connection.open(uri, lastEventId());
                opened = true;
                lastRefusal = 0;
                current = body;
                connected = true;
                touch();
                log.info("revocation feed connected to {} ({})", uri,
                        lastEventId < 0 ? "replaying the last 15 minutes" : "resuming after " + lastEventId);
                connections.incrementAndGet();
                SseParser parser = new SseParser(this::dispatch);
                try (body) {
                    FeedConnection.read(body, line -> {
                        touch();
                        parser.line(line);
                    });
                }
                if (running) {
                    log.info("revocation feed stream ended at {}; reconnecting", lastEventId);
                }
            } catch (FeedConnection.Refused e) {
                if (e.status != lastRefusal) {      // once per cause, not at every retry
                    log.error("revocation feed refused client {}: {}; until it is accepted, revoked tokens stay valid until they expire",
                            clientId, e.getMessage());
                } else {
                    log.debug("revocation feed still refuses client {}: {}", clientId, e.getMessage());
                }
                lastRefusal = e.status;
            } catch (IOException e) {
                if (running) {
                    log.warn("revocation feed {}: {}; reconnecting", opened ? "lost" : "unreachable", e.toString());
                }
            } catch (InterruptedException e) {
                // close() or the stale-stream watchdog
            } catch (RuntimeException e) {
                log.error("revocation feed failed: {}", e.toString(), e);
            } finally {
                connected = false;
                current = null;
            }
            if (!running) {
                return;
            }
            Thread.interrupted();
            failures = opened ? 0 : failures + 1;
            try {
                Thread.sleep(backoff(failures));
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    /** After the event is applied, so a listener asking {@link #isRevoked} already gets the new answer. */
    private void notifyListener(RevocationEvent r) {
        if (listener == null) {
            return;
        }
        try {
            listener.accept(r);
        } catch (RuntimeException failed) {
            log.warn("revocation feed: the listener failed on event {} ({}); the feed goes on", r.seq(), failed.toString());
        }
    }

    private void dispatch(SseParser.Event e) {
        switch (e.type()) {
            case "revocation" -> {
                try {
                    RevocationEvent r = RevocationEvent.parse(e.data());
                    state.apply(r);
                    lastEventId = r.seq();
                    events.incrementAndGet();
                    notifyListener(r);
                } catch (IllegalArgumentException bad) {
                    log.warn("revocation feed: skipping event {} ({}); is this SDK older than the server?", e.lastEventId(), bad.getMessage());
                    try {
                        lastEventId = Long.parseLong(e.lastEventId());
                    } catch (NumberFormatException ignored) {
                        // keep the previous position
                    }
                }
            }
            case "ready" -> firstReady.countDown();
            default -> {
                // other event types are for other consumers
            }
        }
    }

    /** Exponential from {@code minBackoff}, capped at {@code maxBackoff}, with ±20% jitter so consumers do not reconnect in step. */
    private long backoff(int failures) {
        long base = Math.min(maxBackoff.toMillis(), minBackoff.toMillis() << Math.min(failures, 20));
        return (long) (base * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
    }

    private URI endpoint() throws IOException, InterruptedException {
        if (configuredEndpoint != null) {
            return configuredEndpoint;
        }
        if (endpoint == null) {
            endpoint = connection.discover();
        }
        return endpoint;
    }

    private void touch() {
        lastActivityNanos = System.nanoTime();
        lastActivity = clock.instant();
    }

    /** Every second: drop a stream that went silent, and now and then forget entries that can no longer matter. */
    private void watch() {
        try {
            if (connected && System.nanoTime() - lastActivityNanos > staleAfter.toNanos()) {
                log.warn("revocation feed sent nothing for {}; reconnecting", staleAfter);
                closeCurrent();
                Thread r = reader;
                if (r != null) {
                    r.interrupt();
                }
            }
            Instant now = clock.instant();
            if (now.isAfter(lastSweep.plus(SWEEP_EVERY))) {
                lastSweep = now;
                state.sweep(now);
            }
        } catch (RuntimeException e) {
            log.error("revocation feed watchdog failed: {}", e.toString(), e);
        }
    }

    private void closeCurrent() {
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing a dead stream
            }
        }
    }

    /** Stops following; the check keeps answering from what it knew. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            running = false;
            timer.shutdownNow();
            closeCurrent();
            if (reader != null) {
                reader.interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "RevocationFeed[iss=" + issuer + ", connected=" + connected + ", last=" + lastEventId + "]";
    }

    /** Configuration; {@link #build()} reports every problem at once. */
    public static final class Builder {
        private String issuer;
        private FeedCredentials credentials;
        private URI endpoint;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private Duration retention = Duration.ofMinutes(16);
        private Duration staleAfter = Duration.ofSeconds(45);
        private Duration minBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(15);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Consumer<RevocationEvent> listener;

        private Builder() {
        }

        /** The issuer URL exactly as in {@code iss}; the feed endpoint is found through its discovery document. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** The client registered with scope {@code latchkey:revocations}. */
        public Builder credentials(FeedCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Skips discovery: the feed's URL, e.g. one node behind a private name. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The client for the feed; it must not time out a request once the response has started (the stream never ends). */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How long a revocation is remembered: the issuer's longest access-token lifetime plus clock skew (default 16 min). */
        public Builder retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        /** A stream silent this long is reconnected (default 45 s: three missed pings). */
        public Builder staleAfter(Duration staleAfter) {
            this.staleAfter = staleAfter;
            return this;
        }

        /** Reconnect delays: from {@code min}, doubling per failed attempt, up to {@code max} (default 250 ms to 15 s). */
        public Builder reconnectBackoff(Duration min, Duration max) {
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Called on the feed's thread with every event, after it is applied (events replayed at a reconnection
         * included, so a listener must be idempotent). Keep it short: hand long work to another thread. A listener
         * that throws is logged and the feed goes on.
         */
        public Builder onRevocation(Consumer<RevocationEvent> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** How long to wait for the response headers of a (re)connection (default 10 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public RevocationFeed build() {
            List<String> errors = new ArrayList<>();
            if (issuer == null || issuer.isBlank()) {
                errors.add("issuer is required");
            } else if (!issuer.startsWith("https://") && !issuer.startsWith("http://")) {
                errors.add("issuer must be an http(s) URL");
            }
            if (credentials == null) {
                errors.add("credentials are required (a client registered for latchkey:revocations)");
            }
            if (endpoint != null && (!endpoint.isAbsolute() || !("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme())))) {
                errors.add("endpoint must be an absolute http(s) URL");
            }
            if (clock == null) {
                errors.add("clock is required");
            }
            requirePositive(errors, "retention", retention);
            requirePositive(errors, "staleAfter", staleAfter);
            requirePositive(errors, "reconnectBackoff min", minBackoff);
            requirePositive(errors, "reconnectBackoff max", maxBackoff);
            requirePositive(errors, "connectTimeout", connectTimeout);
            requirePositive(errors, "requestTimeout", requestTimeout);
            if (minBackoff != null && maxBackoff != null && maxBackoff.compareTo(minBackoff) < 0) {
                errors.add("reconnectBackoff max must not be below min");
            }
            if (retention != null && retention.compareTo(Duration.ofMinutes(15)) < 0) {
                errors.add("retention must cover the longest access-token lifetime (15 minutes)");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid RevocationFeed configuration: " + String.join("; ", errors));
            }
            return new RevocationFeed(this);
        }

        private static void requirePositive(List<String> errors, String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                errors.add(name + " must be positive");
            }
        }
    }
}
