package dev.latchkey.server.revocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthenticator;
import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.core.session.Revocation;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.oidc.OAuthRequests;
import dev.latchkey.server.oidc.OAuthResponses;
import dev.latchkey.server.oidc.OidcPaths;
import dev.latchkey.store.sql.PgRevocationLog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocation feed: every entry of the revocation log, in order, for resource servers that verify
 * tokens locally (the SDK's {@code RevocationFeed}).
 *
 * <ul>
 *   <li>{@code GET|POST /api/revocations/events}: Server-Sent Events (HTML Living Standard §9.2). Events
 *       {@code id: <seq>}, {@code event: revocation}, {@code data: <FeedEvent JSON>}; after the backlog one
 *       {@code event: ready} ({@code data: {"next":<seq>}}, no id); a {@code : ping} comment when nothing
 *       happened for {@link Limits#ping()}. New entries are pushed from this node's {@link RevocationBus}
 *       as they commit, never polled per consumer.</li>
 *   <li>{@code GET|POST /api/revocations?after=<seq>&wait=<0..30>}: long poll, {@code {"events":[…],"next":<seq>}}.</li>
 * </ul>
 * Both resume after {@code Last-Event-ID} or {@code ?after=}, or replay {@link Limits#replayWindow()}
 * ({@link ResumePoint}); both need a client allowed by {@link FeedAccess}. Each open stream holds one
 * virtual thread and one of {@link Limits#maxConnections()} permits until the consumer goes away (seen at
 * the next write, at the latest one ping later) or the stream reaches {@link Limits#maxStreamAge()}.
 */
public final class RevocationFeedEndpoint implements Endpoints {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationFeedEndpoint.class);
    static final int PAGE = 500;
    static final int MAX_WAIT_SECONDS = 30;

    /**
     * @param maxConnections streams and waiting long polls at once; more get 503
     * @param ping           a comment is sent after this long without events
     * @param replayWindow   how far back a consumer without a position starts: the longest access-token lifetime
     * @param maxStreamAge   a stream is ended after this long, so consumers spread over new nodes (they resume seamlessly)
     * @param queueCapacity  entries buffered per stream before it falls back to reading the log
     */
    public record Limits(int maxConnections, Duration ping, Duration replayWindow, Duration maxStreamAge, int queueCapacity) {
        public static final Limits DEFAULTS = new Limits(1000, Duration.ofSeconds(15), Duration.ofMinutes(15), Duration.ofHours(1), 1024);

        public Limits {
            if (maxConnections < 1 || queueCapacity < 1 || ping.isNegative() || ping.isZero() || replayWindow.isNegative()
                    || maxStreamAge.isNegative() || maxStreamAge.isZero()) {
                throw new IllegalArgumentException("invalid revocation feed limits");
            }
        }
    }

    record PollResponse(List<FeedEvent> events, long next) {
    }

    private final FeedAccess access;
    private final OAuthResponses responses;
    private final PgRevocationLog log;
    private final RevocationBus bus;
    private final ObjectMapper json;
    private final Clock clock;
    private final Limits limits;
    private final Semaphore permits;
    private final Set<FeedSubscription> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    public RevocationFeedEndpoint(OAuthRequests requests, OAuthResponses responses, ClientAuthenticator authenticator, PgRevocationLog log,
                                  RevocationBus bus, ObjectMapper json, Clock clock, MeterRegistry metrics, Limits limits) {
        this.access = new FeedAccess(requests, authenticator);
        this.responses = responses;
        this.log = log;
        this.bus = bus;
        this.json = json;
        this.clock = clock;
        this.limits = limits;
        this.permits = new Semaphore(limits.maxConnections());
        Gauge.builder("latchkey.revocation_feed.connections", permits, p -> limits.maxConnections() - p.availablePermits())
                .description("Open revocation-feed streams and waiting long polls").register(metrics);
    }

    @Override
    public void register(RoutesConfig r) {
        r.get(OidcPaths.REVOCATION_FEED, this::stream);
        r.post(OidcPaths.REVOCATION_FEED, this::stream);
        r.get(OidcPaths.REVOCATION_POLL, this::poll);
        r.post(OidcPaths.REVOCATION_POLL, this::poll);
    }

    void stream(Context ctx) {
        Client client;
        OptionalLong requested;
        long cursor;
        try {
            client = access.authenticate(ctx);
            requested = ResumePoint.requested(ctx.header("Last-Event-ID"), OAuthRequests.query(ctx));
            cursor = start(requested);
        } catch (LatchkeyException e) {
            responses.error(ctx, e);
            return;
        }
        if (!permits.tryAcquire()) {
            busy(ctx);
            return;
        }
        long deadline = System.nanoTime() + limits.maxStreamAge().toNanos();
        try (FeedSubscription sub = subscribe(limits.queueCapacity())) {
            SseWriter sse = open(ctx.res());
            LOG.info("revocation feed opened for {} after {}", client.clientId(), cursor);
            sse.retry(Duration.ofSeconds(2));
            cursor = catchUp(sse, cursor, requested.isPresent() ? Instant.MIN : windowStart());
            sse.event(null, "ready", "{\"next\":" + cursor + "}");
            for (long left; (left = deadline - System.nanoTime()) > 0 && !sub.ended(); ) {
                if (sub.takeOverflow()) {
                    cursor = catchUp(sse, cursor, Instant.MIN);
                    continue;
                }
                List<Revocation> batch = sub.poll(Duration.ofNanos(Math.min(left, limits.ping().toNanos())));
                if (batch.isEmpty()) {
                    sse.comment("ping");
                }
                for (Revocation r : batch) {
                    if (r.seq() > cursor) {
                        send(sse, r);
                        cursor = r.seq();
                    }
                }
            }
            if (sub.ended()) {
                LOG.info("revocation feed of {} ended at {}: this node is shutting down; the consumer resumes on another", client.clientId(), cursor);
            } else {
                LOG.info("revocation feed of {} reached its maximum age at {}; the consumer resumes", client.clientId(), cursor);
            }
        } catch (IOException e) {
            LOG.info("revocation feed of {} closed by the consumer at {}", client.clientId(), cursor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            permits.release();
        }
    }

    /** A subscription in {@link #open} until it closes, so {@link #drain()} can end it. */
    private FeedSubscription subscribe(int capacity) {
        FeedSubscription sub = new FeedSubscription(bus, capacity, open);
        if (draining) {
            sub.end();
        }
        return sub;
    }

    /**
     * The node is shutting down: every open stream ends now (the consumer reconnects, to another node) and every
     * waiting long poll answers with what it has, so that none of them holds the drain up.
     */
    public void drain() {
        draining = true;
        open.forEach(FeedSubscription::end);
    }

    void poll(Context ctx) {
        try {
            access.authenticate(ctx);
            RawParams q = OAuthRequests.query(ctx);
            OptionalLong requested = ResumePoint.requested(null, q);
            long after = start(requested);
            int wait = waitSeconds(q);
            List<Revocation> events = log.after(after, PAGE);
            if (events.isEmpty() && wait > 0) {
                if (!permits.tryAcquire()) {
                    busy(ctx);
                    return;
                }
                try (FeedSubscription sub = subscribe(1)) {
                    events = log.after(after, PAGE);         // anything committed before we subscribed
                    if (events.isEmpty()) {
                        sub.poll(Duration.ofSeconds(wait));  // woken by the next commit, or the wait ends
                        events = log.after(after, PAGE);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    permits.release();
                }
            }
            long next = events.isEmpty() ? after : events.get(events.size() - 1).seq();
            Instant notBefore = requested.isPresent() ? Instant.MIN : windowStart();
            responses.ok(ctx, new PollResponse(events.stream().filter(r -> !r.at().isBefore(notBefore)).map(FeedEvent::of).toList(), next));
        } catch (LatchkeyException e) {
            responses.error(ctx, e);
        }
    }

    private long start(OptionalLong requested) {
        return ResumePoint.resolve(requested, log, windowStart());
    }

    private Instant windowStart() {
        return clock.instant().minus(limits.replayWindow());
    }

    /** Every permit is taken: 503 with {@code Retry-After}, in the endpoint's JSON error shape. */
    private void busy(Context ctx) {
        LOG.warn("all {} revocation feed connections are in use; a consumer is told to retry", limits.maxConnections());
        ctx.header("Retry-After", "5");
        responses.write(ctx, 503, Map.of("error", "temporarily_unavailable",
                "error_description", "The revocation feed is at its connection limit. Retry later."));
    }

    private static SseWriter open(HttpServletResponse res) throws IOException {
        res.setStatus(200);
        res.setContentType("text/event-stream;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("X-Accel-Buffering", "no");     // proxies must pass events on at once
        return new SseWriter(res.getOutputStream());
    }

    /**
     * Sends every entry after {@code cursor} from the log, page by page, except those made before
     * {@code notBefore} (a replay skips the few older entries that follow the window's first); returns the new cursor.
     */
    private long catchUp(SseWriter sse, long cursor, Instant notBefore) throws IOException {
        while (true) {
            List<Revocation> page = log.after(cursor, PAGE);
            for (Revocation r : page) {
                if (!r.at().isBefore(notBefore)) {
                    send(sse, r);
                }
                cursor = r.seq();
            }
            if (page.size() < PAGE) {
                return cursor;
            }
        }
    }

    private void send(SseWriter sse, Revocation r) throws IOException {
        try {
            sse.event(Long.toString(r.seq()), "revocation", json.writeValueAsString(FeedEvent.of(r)));
        } catch (JsonProcessingException e) {
            throw LatchkeyException.wrap(ErrorCode.INTERNAL, "serialising a revocation", e);
        }
    }

    private static int waitSeconds(RawParams q) {
        if (q.duplicated("wait")) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The parameter 'wait' was sent more than once.", "duplicate wait");
        }
        String w = q.get("wait");
        if (w == null) {
            return 0;
        }
        if (!w.matches("[0-9]{1,2}") || Integer.parseInt(w) > MAX_WAIT_SECONDS) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "wait must be a number of seconds from 0 to " + MAX_WAIT_SECONDS + ".",
                    "bad wait " + w);
        }
        return Integer.parseInt(w);
    }
}
