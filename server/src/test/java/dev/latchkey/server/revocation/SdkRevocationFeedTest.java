package dev.latchkey.server.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.sdk.revocation.FeedCredentials;
import dev.latchkey.sdk.revocation.RevocationFeed;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenRejectedException;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK's {@link RevocationFeed} against a real server and PostgreSQL: two independent resource servers
 * (each a {@link TokenVerifier} with its own feed, one authenticating with client_secret_basic, the other with
 * private_key_jwt) refuse a revoked identity within seconds, and a feed that loses its node resumes where it
 * stopped without losing or repeating an event.
 */
class SdkRevocationFeedTest {
    static final String ADMIN_KEY = "lka_test-admin-key-0123456789abcdefghijklmnop";
    static final String PASSWORD = "a perfectly fine passphrase";
    /** A generous upper bound: the feed delivers in milliseconds; this only keeps a broken build from hanging. */
    static final Duration WITHIN = Duration.ofSeconds(10);

    static TestServer ts;
    static String basicSecret;
    static ECKey jwtKey;
    static final List<AutoCloseable> closing = new ArrayList<>();
    static TokenVerifier ordersApi;
    static TokenVerifier billingApi;

    @BeforeAll
    static void start() throws Exception {
        ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY));
        basicSecret = admin("/admin/v1/clients", """
                {"client_id":"orders-api","grant_types":["client_credentials"],"scope":"latchkey:revocations"}""")
                .json().get("client_secret").asText();
        jwtKey = new ECKeyGenerator(Curve.P_256).keyID("billing-1").generate();
        admin("/admin/v1/clients", """
                {"client_id":"billing-api","token_endpoint_auth_method":"private_key_jwt","grant_types":["client_credentials"],
                 "scope":"latchkey:revocations","jwks":%s}""".formatted(new JWKSet(jwtKey.toPublicJWK()).toString()));
        ordersApi = verifier(feed(FeedCredentials.clientSecretBasic("orders-api", basicSecret), null));
        billingApi = verifier(feed(FeedCredentials.privateKeyJwt("billing-api", jwtKey), null));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        ts.close();
    }

    static Http.Response admin(String path, String json) {
        Http.Response r = new Http(ts.base).postJson(path, json, "Authorization", "Bearer " + ADMIN_KEY);
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return r;
    }

    /** A started feed that has delivered its backlog (discovery finds the endpoint unless one is given). */
    static RevocationFeed feed(FeedCredentials credentials, URI endpoint) throws InterruptedException {
        RevocationFeed.Builder b = RevocationFeed.builder().issuer(ts.base).credentials(credentials)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        if (endpoint != null) {
            b.endpoint(endpoint);
        }
        RevocationFeed f = b.build().start();
        closing.add(f);
        assertThat(f.awaitReady(WITHIN)).as("feed ready").isTrue();
        assertThat(f.isConnected()).isTrue();
        return f;
    }

    static TokenVerifier verifier(RevocationFeed feed) {
        return TokenVerifier.builder().issuer(ts.base).audience(ts.base).revocationCheck(feed).build();
    }

    record Device(Http http, String email, String token) {
        UUID userId() {
            return ts.backend().users().findByEmail(EmailAddress.parse(email)).orElseThrow().id();
        }
    }

    static Device signUp() {
        String email = "sdk-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http h = new Http(ts.base);
        Http.Response r = h.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new Device(h, email, r.json().get("access_token").asText());
    }

    static Device signIn(String email) {
        Http h = new Http(ts.base);
        Http.Response r = h.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new Device(h, email, r.json().get("access_token").asText());
    }

    static void assertAccepted(String token, TokenVerifier... verifiers) throws TokenRejectedException {
        for (TokenVerifier v : verifiers) {
            assertThat(v.verify(token).subject()).isNotBlank();
        }
    }

    /** Polls until every verifier refuses the token as revoked, failing after {@link #WITHIN}. */
    static void assertRefusedSoon(String token, TokenVerifier... verifiers) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        for (TokenVerifier v : verifiers) {
            while (true) {
                try {
                    v.verify(token);
                } catch (TokenRejectedException e) {
                    assertThat(e.reason()).isEqualTo(RejectReason.REVOKED);
                    break;
                }
                assertThat(System.nanoTime()).as("revoked within " + WITHIN + " by " + v).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    @Test
    void aUserDisabledThroughTheAdminApiIsRefusedByEveryResourceServer() throws Exception {
        Device victim = signUp();
        Device bystander = signUp();
        assertAccepted(victim.token(), ordersApi, billingApi);

        admin("/admin/v1/users/" + victim.userId() + "/disable", "{}");

        assertRefusedSoon(victim.token(), ordersApi, billingApi);
        assertAccepted(bystander.token(), ordersApi, billingApi);
    }

    @Test
    void aListenerHearsEachEventAfterTheFeedAppliedIt() throws Exception {
        Device victim = signUp();
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        TokenVerifier[] self = new TokenVerifier[1];
        RevocationFeed f = RevocationFeed.builder().issuer(ts.base).credentials(FeedCredentials.clientSecretBasic("orders-api", basicSecret))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .onRevocation(e -> {
                    if (e.userId().equals(victim.userId().toString())) {
                        boolean refused;
                        try {
                            self[0].verify(victim.token());
                            refused = false;
                        } catch (TokenRejectedException rejected) {
                            refused = rejected.reason() == RejectReason.REVOKED;
                        }
                        heard.add(e.kind() + " refused=" + refused);
                    }
                    throw new IllegalStateException("a failing listener does not stop the feed");
                }).build().start();
        closing.add(f);
        self[0] = verifier(f);
        assertThat(f.awaitReady(WITHIN)).isTrue();

        admin("/admin/v1/users/" + victim.userId() + "/disable", "{}");

        assertThat(heard.poll(WITHIN.toSeconds(), TimeUnit.SECONDS)).isEqualTo("USER_DISABLED refused=true");
        Device other = signUp();
        admin("/admin/v1/users/" + other.userId() + "/disable", "{}");
        assertRefusedSoon(other.token(), self[0]);                    // still following after the listener threw
    }

    @Test
    void signingOutOtherDevicesRefusesTheirTokensOnly() throws Exception {
        Device phone = signUp();
        Device laptop = signIn(phone.email());
        assertAccepted(phone.token(), ordersApi, billingApi);
        assertAccepted(laptop.token(), ordersApi, billingApi);

        Http.Response others = laptop.http().delete("/api/auth/sessions?others=true", "Authorization", "Bearer " + laptop.token());
        assertThat(others.json().get("revoked").asInt()).isEqualTo(1);

        assertRefusedSoon(phone.token(), ordersApi, billingApi);
        assertAccepted(laptop.token(), ordersApi, billingApi);
    }

    @Test
    void aPasswordChangeRefusesTokensOfTheOldSecurityVersion() throws Exception {
        Device d = signUp();
        Http.Response changed = d.http().postJson("/api/auth/password",
                "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"another long passphrase\"}", "Authorization", "Bearer " + d.token());
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        String fresh = changed.json().get("access_token").asText();

        assertRefusedSoon(d.token(), ordersApi, billingApi);
        assertAccepted(fresh, ordersApi, billingApi);
    }

    @Test
    void aDeletedUsersTokensAreRefused() throws Exception {
        Device d = signUp();
        assertAccepted(d.token(), ordersApi, billingApi);
        assertThat(new Http(ts.base).delete("/admin/v1/users/" + d.userId(), "Authorization", "Bearer " + ADMIN_KEY).status()).isEqualTo(204);
        assertRefusedSoon(d.token(), ordersApi, billingApi);
    }

    /**
     * Two feeds follow a second node. It stops; revocations happen on the first node meanwhile; it starts
     * again on the same port. Both feeds resume after their Last-Event-ID: each revocation arrives once.
     */
    @Test
    void afterLosingItsNodeAFeedResumesFromItsLastEventIdWithoutLosingOrRepeatingEvents() throws Exception {
        int port = freePort();
        Map<String, String> env = Map.of("LATCHKEY_HTTP_PORT", Integer.toString(port), "LATCHKEY_PUBLIC_URL", "http://localhost:" + port);
        TestServer nodeB = TestServer.secondNode(ts, env);
        URI feedOnB = URI.create("http://localhost:" + port + "/api/revocations/events");
        RevocationFeed one = feed(FeedCredentials.clientSecretBasic("orders-api", basicSecret), feedOnB);
        RevocationFeed two = feed(FeedCredentials.privateKeyJwt("billing-api", jwtKey), feedOnB);
        TokenVerifier v1 = verifier(one);
        TokenVerifier v2 = verifier(two);
        List<Device> doomed = List.of(signUp(), signUp(), signUp());
        Device phone = signUp();
        Device laptop = signIn(phone.email());
        for (Device d : List.of(doomed.get(0), doomed.get(1), doomed.get(2), phone, laptop)) {
            assertAccepted(d.token(), v1, v2);
        }
        long seenOne = one.eventsReceived();
        long seenTwo = two.eventsReceived();

        nodeB.close();
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while ((one.isConnected() || two.isConnected()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(one.isConnected() || two.isConnected()).as("both feeds notice the node is gone").isFalse();

        // five revocations while no feed is connected, made through the first node
        long before = ts.backend().revocationLog().head();
        for (Device d : doomed) {
            ts.backend().accounts().delete(d.userId(), RequestContext.SYSTEM);
        }
        laptop.http().delete("/api/auth/sessions?others=true", "Authorization", "Bearer " + laptop.token());
        ts.backend().accounts().setStatus(signUp().userId(), dev.latchkey.core.account.UserStatus.DISABLED, RequestContext.SYSTEM);
        long committed = ts.backend().revocationLog().after(before, 100).size();
        assertThat(committed).isEqualTo(5);
        for (Device d : doomed) {
            assertAccepted(d.token(), v1, v2);       // nothing could have told them yet
        }

        TestServer nodeBAgain = TestServer.secondNode(ts, env);
        try {
            for (Device d : doomed) {
                assertRefusedSoon(d.token(), v1, v2);
            }
            assertRefusedSoon(phone.token(), v1, v2);
            assertAccepted(laptop.token(), v1, v2);
            long head = ts.backend().revocationLog().head();
            for (RevocationFeed f : List.of(one, two)) {
                long until = System.nanoTime() + WITHIN.toNanos();
                while (f.lastEventId().orElse(-1) < head && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertThat(f.lastEventId()).hasValue(head);
                assertThat(f.connections()).isEqualTo(2);
                assertThat(f.isConnected()).isTrue();
            }
            assertThat(one.eventsReceived() - seenOne).as("exactly the missed events, not a replay").isEqualTo(committed);
            assertThat(two.eventsReceived() - seenTwo).isEqualTo(committed);
        } finally {
            one.close();
            two.close();
            nodeBAgain.close();
        }
    }

    @Test
    void aFeedWithWrongCredentialsOrWithoutTheScopeNeverConnectsAndRevokesNothing() throws Exception {
        admin("/admin/v1/clients", """
                {"client_id":"no-feed-scope","grant_types":["client_credentials"],"scope":"notes:read"}""");
        String secret = new Http(ts.base).post("/admin/v1/clients/no-feed-scope/secret", null, null, "Authorization", "Bearer " + ADMIN_KEY)
                .json().get("client_secret").asText();
        for (FeedCredentials c : List.of(FeedCredentials.clientSecretBasic("orders-api", "wrong-secret"),
                FeedCredentials.clientSecretBasic("no-feed-scope", secret),
                FeedCredentials.clientSecretPost("orders-api", basicSecret))) {     // not its registered method
            try (RevocationFeed f = RevocationFeed.builder().issuer(ts.base).credentials(c)
                    .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build().start()) {
                assertThat(f.awaitReady(Duration.ofSeconds(1))).as(c.toString()).isFalse();
                assertThat(f.isConnected()).isFalse();
                assertThat(f.connections()).isZero();
                assertThat(f.lastActivity()).isEmpty();
                Device d = signUp();
                ts.backend().accounts().delete(d.userId(), RequestContext.SYSTEM);
                assertAccepted(d.token(), verifier(f));   // without the feed, a revoked token lives until it expires
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
