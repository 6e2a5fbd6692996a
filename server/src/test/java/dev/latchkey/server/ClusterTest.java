package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testkit.TestRedis;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two server nodes on one PostgreSQL (and one Redis): they agree on refresh rotation, rate limits and revocations. */
class ClusterTest {
    @Test
    void twoNodesShareRotationRateLimitsAndRevocations() throws Exception {
        String redis = TestRedis.requireReachable();
        Map<String, String> env = Map.of("LATCHKEY_REDIS_URL", redis, "LATCHKEY_RATELIMIT_LOGIN_PER_ACCOUNT", "6/1h");
        try (TestServer a = TestServer.start(env); TestServer b = TestServer.secondNode(a, env)) {
            String email = "c" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
            String body = "{\"email\":\"" + email + "\",\"password\":\"cluster passphrase one\"}";
            Http onA = new Http(a.base);
            assertThat(onA.postJson("/api/auth/signup", body).status()).isEqualTo(201);
            String cookie = onA.cookies.get("__Secure-lk_refresh");

            // the same refresh token presented on both nodes at once: one rotation, one successor
            CountDownLatch go = new CountDownLatch(1);
            Set<String> successors = new HashSet<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
                List<Future<String>> fs = new java.util.ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String base = i % 2 == 0 ? a.base : b.base;
                    Callable<String> call = () -> {
                        Http h = new Http(base);
                        h.cookies.put("__Secure-lk_refresh", cookie);
                        go.await();
                        Http.Response r = h.post("/api/auth/refresh", null, null, "X-CSRF", "1");
                        assertThat(r.status()).as(r.body()).isEqualTo(200);
                        return h.cookies.get("__Secure-lk_refresh");
                    };
                    fs.add(pool.submit(call));
                }
                go.countDown();
                for (Future<String> f : fs) {
                    successors.add(f.get());
                }
            }
            assertThat(successors).hasSize(1);

            // a token minted on A is revoked on B, and A refuses it at once
            Http login = new Http(a.base);
            String at = login.postJson("/api/auth/login", body).json().get("access_token").asText();
            assertThat(login.get("/api/auth/me", "Authorization", "Bearer " + at).status()).isEqualTo(200);
            String sid = login.get("/api/auth/me", "Authorization", "Bearer " + at).json().get("session_id").asText();
            Http onB = new Http(b.base);
            assertThat(onB.delete("/api/auth/sessions/" + sid, "Authorization", "Bearer " + at).status()).isEqualTo(204);
            long deadline = System.nanoTime() + 5_000_000_000L;
            int status = 200;
            while (System.nanoTime() < deadline && status == 200) {
                status = login.get("/api/auth/me", "Authorization", "Bearer " + at).status();
            }
            assertThat(status).isEqualTo(401);

            // the per-account login limit is shared through Redis: 6 per hour in total, whichever node
            int limited = 0;
            for (int i = 0; i < 8; i++) {
                Http h = new Http(i % 2 == 0 ? a.base : b.base);
                if (h.postJson("/api/auth/login", body).status() == 429) {
                    limited++;
                }
            }
            assertThat(limited).isEqualTo(3);   // 1 login above + 5 allowed here, then 3 refused
        }
    }
}
