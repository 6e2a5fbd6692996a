package dev.latchkey.sdk.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenRejectedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiKeyExchanger}'s single flight over real HTTP, against a token endpoint that counts exchanges and can hold
 * one back: twenty concurrent requests with one key make one exchange and share its token (or its refusal); a
 * request with another key is answered while the first key's exchange is still held, even when both keys fall in
 * the same bin of the exchanger's cache map (where a lock held during I/O would make it wait).
 */
class ApiKeyExchangerTest {
    /** How long a request may hang before the test calls it stuck (a guard against a deadlock, not a measurement). */
    static final long STUCK_SECONDS = 30;
    HttpServer server;
    final Map<String, AtomicInteger> exchanges = new ConcurrentHashMap<>();
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    volatile String held;
    final CountDownLatch heldArrived = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    ApiKeyExchanger exchanger;
    ExecutorService pool;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/oauth2/token", x -> {
            Map<String, String> form = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String key = form.get("subject_token");
            exchanges.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (key.equals(held)) {
                heldArrived.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean no = refused.contains(key);
            byte[] body = (no ? "{\"error\":\"invalid_grant\",\"error_description\":\"refused\"}"
                    : "{\"access_token\":\"at-" + key.hashCode() + "\",\"token_type\":\"Bearer\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(no ? 400 : 200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        exchanger = ApiKeyExchanger.builder().issuer("http://127.0.0.1:" + server.getAddress().getPort())
                .clientSecretBasic("svc", "secret").build();
        pool = Executors.newFixedThreadPool(21);
    }

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
        server.stop(0);
    }

    static Map<String, String> form(String body) {
        Map<String, String> m = new HashMap<>();
        for (String p : body.split("&")) {
            int eq = p.indexOf('=');
            m.put(URLDecoder.decode(p.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    static String newKey() {
        return "lk_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + "_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Twenty calls with {@code key}, released together; their tokens, or the refusal reasons. */
    List<Object> twenty(String key) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fs.add(pool.submit(() -> {
                go.await();
                try {
                    return exchanger.accessToken(key);
                } catch (TokenRejectedException e) {
                    return e.reason();
                }
            }));
        }
        go.countDown();
        List<Object> out = new ArrayList<>();
        for (Future<Object> f : fs) {
            out.add(f.get(STUCK_SECONDS, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void twentyConcurrentRequestsWithOneKeyMakeOneExchange() throws Exception {
        String key = newKey();
        List<Object> tokens = twenty(key);
        assertThat(tokens).hasSize(20).containsOnly("at-" + key.hashCode());
        assertThat(exchanges.get(key).get()).as("one exchange for twenty requests").isEqualTo(1);
        assertThat(exchanger.accessToken(key)).as("cached").isEqualTo("at-" + key.hashCode());
        assertThat(exchanges.get(key).get()).isEqualTo(1);
    }

    @Test
    void aRefusalIsSharedByTheWaitingRequestsAndNotCached() throws Exception {
        String key = newKey();
        refused.add(key);
        List<Object> reasons = twenty(key);
        assertThat(reasons).containsOnly(RejectReason.API_KEY_REFUSED);
        int made = exchanges.get(key).get();
        refused.remove(key);
        assertThat(exchanger.accessToken(key)).as("a refusal is not remembered").isEqualTo("at-" + key.hashCode());
        assertThat(exchanges.get(key).get()).isEqualTo(made + 1);
    }

    @Test
    void anotherKeyIsAnsweredWhileOneKeysExchangeIsHeldEvenInTheSameMapBin() throws Exception {
        // two keys whose cache ids share a bin of a 16-bin ConcurrentHashMap (a new exchanger's cache): with the
        // exchange inside compute(), the second would wait for the first's HTTP call
        String first = newKey();
        String second;
        do {
            second = newKey();
        } while (bin(first) != bin(second));
        held = first;
        String a = first;
        Future<String> slow = pool.submit(() -> exchanger.accessToken(a));
        assertThat(heldArrived.await(STUCK_SECONDS, TimeUnit.SECONDS)).as("the first key's exchange reached the endpoint").isTrue();

        String b = second;
        Future<String> other = pool.submit(() -> exchanger.accessToken(b));
        assertThat(other.get(STUCK_SECONDS, TimeUnit.SECONDS)).as("answered while the first is held").isEqualTo("at-" + second.hashCode());
        assertThat(slow.isDone()).as("the first is still held").isFalse();

        Future<String> sameAsFirst = pool.submit(() -> exchanger.accessToken(a));
        release.countDown();
        assertThat(slow.get(STUCK_SECONDS, TimeUnit.SECONDS)).isEqualTo("at-" + first.hashCode());
        assertThat(sameAsFirst.get(STUCK_SECONDS, TimeUnit.SECONDS)).isEqualTo("at-" + first.hashCode());
        assertThat(exchanges.get(first).get()).as("a request for the first key made during or after the held exchange did not exchange again").isEqualTo(1);
    }

    /** The bin of the exchanger's cache id for {@code key} in a 16-bin ConcurrentHashMap (its spread function). */
    static int bin(String key) throws Exception {
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        int h = id.hashCode();
        return ((h ^ (h >>> 16)) & 0x7fffffff) & 15;
    }
}
