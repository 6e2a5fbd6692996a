package dev.latchkey.gateway;

import dev.latchkey.gateway.session.GatewaySession;
import dev.latchkey.gateway.session.SessionIds;
import dev.latchkey.gateway.session.SessionStore;
import dev.latchkey.gateway.session.SessionTokens;
import dev.latchkey.gateway.session.UserClaims;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Benchmark harness (not a test; {@code verify} never runs it). Measures, against a real server, gateway and PostgreSQL:
 * <ol>
 *   <li>proxy overhead: the same request at the same concurrency sent to the upstream directly and through the
 *       gateway (session cookie → Bearer relay) — p50/p99 latency, the added p50, throughput and their ratio;</li>
 *   <li>session lookups per second: {@link SessionStore#find} from the in-process cache and from PostgreSQL;</li>
 *   <li>memory per 100,000 active sessions held in the cache: heap (after GC) and RSS.</li>
 * </ol>
 * How to run: see docs/gateway.md § Benchmark. Arguments: {@code [concurrency=32] [seconds=15] [sessions=100000]}.
 */
public final class GatewayBenchmark {
    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int sessions = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        try (GatewayFixture f = new GatewayFixture(Map.of(), Map.of("LATCHKEY_GATEWAY_REVOCATION_FEED", "true",
                "LATCHKEY_GATEWAY_DATABASE_POOL_SIZE", "32"))) {
            String email = f.newUser();
            GatewayFixture.Browser b = f.new Browser();
            if (b.signIn(email, "/").status() != 303) {
                throw new IllegalStateException("sign-in failed");
            }
            String bearer = b.gw.get("/api/notes/ping").json().get("headers").get("authorization").asText();
            String cookie = "__Host-lk-session=" + b.session();

            System.out.printf("== proxy overhead: GET /api/notes/ping, %d concurrent, %d s each (after a warm-up of each)%n", concurrency, seconds);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI direct = URI.create(f.api.base() + "/api/notes/ping");
            URI viaGateway = URI.create(f.gateway.baseUrl() + "/api/notes/ping");
            int warm = Math.min(5, seconds);
            load(client, direct, "Authorization", bearer, concurrency, warm);
            load(client, viaGateway, "Cookie", cookie, concurrency, warm);
            Result d = load(client, direct, "Authorization", bearer, concurrency, seconds);
            Result g = load(client, viaGateway, "Cookie", cookie, concurrency, seconds);
            System.out.printf("direct : %s%n", d);
            System.out.printf("gateway: %s%n", g);
            System.out.printf("added p50 latency: %.3f ms; added p99: %.3f ms; throughput ratio gateway/direct: %.2f%n",
                    (g.p50 - d.p50) / 1e6, (g.p99 - d.p99) / 1e6, g.perSecond / d.perSecond);

            System.out.printf("%n== sessions: %d active sessions in PostgreSQL and the cache%n", sessions);
            SessionStore store = f.gateway.sessions();
            SessionIds ids = new SessionIds(f.sessionKey);
            String at = bearer.substring("Bearer ".length());
            String idToken = store.find(ids.hash(b.session())).orElseThrow().tokens().idToken();
            System.gc();
            Thread.sleep(500);
            long heapBefore = usedHeap();
            long rssBefore = rss();
            List<byte[]> hashes = new ArrayList<>(sessions);
            Instant now = f.clock.instant();
            long t0 = System.nanoTime();
            for (int i = 0; i < sessions; i++) {
                byte[] h = ids.hash(SessionIds.newValue());
                UserClaims u = new UserClaims(UUID.randomUUID().toString(), Optional.of("user" + i + "@example.test"), true,
                        Optional.of("User " + i), Optional.of(UUID.randomUUID().toString()), List.of("member"), Optional.of(UUID.randomUUID().toString()));
                store.create(new GatewaySession(h, u, new SessionTokens(at, now, now.plus(Duration.ofMinutes(5)), Optional.of(SessionIds.newValue()), idToken),
                        0, now, now, now.plus(Duration.ofHours(12))));
                hashes.add(h);
            }
            System.out.printf("created %d sessions in %.1f s (%.0f/s, one INSERT each)%n", sessions, (System.nanoTime() - t0) / 1e9,
                    sessions / ((System.nanoTime() - t0) / 1e9));
            System.gc();
            Thread.sleep(500);
            long heapAfter = usedHeap();
            long rssAfter = rss();
            System.out.printf("heap for %d cached sessions: %.1f MiB (%.0f bytes each); RSS grew %.1f MiB (now %.1f MiB)%n", sessions,
                    (heapAfter - heapBefore) / 1048576.0, (heapAfter - heapBefore) / (double) sessions, (rssAfter - rssBefore) / 1048576.0,
                    rssAfter / 1048576.0);

            System.out.printf("cache hits : %.0f lookups/s (%d threads)%n", lookups(store, hashes, concurrency, seconds, false), concurrency);
            System.out.printf("PostgreSQL : %.0f lookups/s (%d threads, cache evicted before each lookup)%n",
                    lookups(store, hashes, concurrency, seconds, true), concurrency);
            try (var c = f.gatewayDb.connect(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT pg_total_relation_size('gateway_sessions')")) {
                rs.next();
                System.out.printf("gateway_sessions on disk: %.1f MiB (%.0f bytes per session)%n", rs.getLong(1) / 1048576.0,
                        rs.getLong(1) / (double) (sessions + 1));
            }
        }
    }

    record Result(long requests, long errors, double perSecond, long p50, long p99) {
        @Override
        public String toString() {
            return String.format("%d requests, %d errors, %.0f req/s, p50 %.3f ms, p99 %.3f ms", requests, errors, perSecond, p50 / 1e6, p99 / 1e6);
        }
    }

    static Result load(HttpClient client, URI uri, String header, String value, int concurrency, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder errors = new LongAdder();
        List<long[]> perThread = new ArrayList<>();
        int[] counts = new int[concurrency];
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int t = 0; t < concurrency; t++) {
            long[] lat = new long[2_000_000];
            perThread.add(lat);
            int slot = t;
            Thread.ofPlatform().start(() -> {
                HttpRequest req = HttpRequest.newBuilder(uri).header(header, value).GET().build();
                int n = 0;
                while (!stop.get()) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.increment();
                        }
                    } catch (Exception e) {
                        errors.increment();
                    }
                    if (n < lat.length) {
                        lat[n++] = System.nanoTime() - s;
                    }
                }
                counts[slot] = n;
                done.countDown();
            });
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int pos = 0;
        for (int t = 0; t < concurrency; t++) {
            System.arraycopy(perThread.get(t), 0, all, pos, counts[t]);
            pos += counts[t];
        }
        Arrays.sort(all);
        return new Result(total, errors.sum(), total / elapsed, all[total / 2], all[(int) (total * 0.99)]);
    }

    static double lookups(SessionStore store, List<byte[]> hashes, int concurrency, int seconds, boolean evict) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder n = new LongAdder();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int t = 0; t < concurrency; t++) {
            Thread.ofPlatform().start(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (!stop.get()) {
                    byte[] h = hashes.get(r.nextInt(hashes.size()));
                    if (evict) {
                        store.evict(h);
                    }
                    if (store.find(h).isEmpty()) {
                        throw new IllegalStateException("session missing");
                    }
                    n.increment();
                }
                done.countDown();
            });
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        return n.sum() / ((System.nanoTime() - start) / 1e9);
    }

    static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Resident set size from /proc (Linux); 0 elsewhere. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return 0;
    }
}
