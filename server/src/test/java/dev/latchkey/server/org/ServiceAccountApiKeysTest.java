package dev.latchkey.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.apikey.ApiKeys;
import dev.latchkey.sdk.revocation.FeedCredentials;
import dev.latchkey.sdk.revocation.RevocationEvent;
import dev.latchkey.sdk.revocation.RevocationFeed;
import dev.latchkey.sdk.token.PrincipalKind;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenRejectedException;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.sdk.token.VerifiedToken;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API keys owned by service accounts, over real HTTP and PostgreSQL: made under
 * {@code /admin/v1/orgs/{id}/service-accounts/{sa}/api-keys} (secret once), exchanged (RFC 8693) by a confidential
 * client with the token-exchange grant for the account's token ({@code sub_type service_account}, its org, its
 * permissions narrowed to the key's); the SDK's verifier drops that token through the feed when the key is revoked;
 * a revoked key and a disabled account are refused with the generic message; another organization's path is 404;
 * twenty concurrent revocations of one key revoke it once.
 */
class ServiceAccountApiKeysTest {
    static final String ADMIN_KEY = "lka_test-admin-key-0123456789abcdefghijklmnop";
    static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String API_KEY_TYPE = "urn:latchkey:params:oauth:token-type:api-key";
    static final Duration WITHIN = Duration.ofSeconds(10);
    static TestServer ts;
    static String basic;
    static String secret;
    static RevocationFeed feed;
    static TokenVerifier api;

    @BeforeAll
    static void start() throws Exception {
        ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY));
        secret = admin("POST", "/admin/v1/clients", """
                {"client_id":"billing-api","grant_types":["client_credentials","%s"],"scope":"latchkey:revocations"}""".formatted(EXCHANGE), 201)
                .json().get("client_secret").asText();
        basic = "Basic " + Base64.getEncoder().encodeToString(("billing-api:" + secret).getBytes(StandardCharsets.UTF_8));
        feed = RevocationFeed.builder().issuer(ts.base).credentials(FeedCredentials.clientSecretBasic("billing-api", secret))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build().start();
        assertThat(feed.awaitReady(WITHIN)).isTrue();
        api = TokenVerifier.builder().issuer(ts.base).audience(ts.base).revocationCheck(feed).build();
        admin("PUT", "/admin/v1/roles/sak-editor", "{\"permissions\":[\"invoices:read\",\"invoices:write\"]}", 200);
    }

    @AfterAll
    static void stop() {
        feed.close();
        ts.close();
    }

    static Http.Response admin(String method, String path, String json, int expected) {
        Http.Response r = send(method, path, json);
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return r;
    }

    static Http.Response send(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        return new Http(ts.base).send(HttpRequest.newBuilder(URI.create(ts.base + path)).method(method, body)
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json"));
    }

    static String newOrg(String name) {
        return admin("POST", "/admin/v1/orgs", "{\"name\":\"" + name + "\"}", 201).json().get("id").asText();
    }

    static String newAccount(String org) {
        return admin("POST", "/admin/v1/orgs/" + org + "/service-accounts", "{\"name\":\"Invoicer\",\"roles\":[\"sak-editor\"]}", 201)
                .json().get("id").asText();
    }

    static String keys(String org, String sa) {
        return "/admin/v1/orgs/" + org + "/service-accounts/" + sa + "/api-keys";
    }

    static Http.Response exchange(String key) {
        return new Http(ts.base).postForm("/oauth2/token", Map.of("grant_type", EXCHANGE, "subject_token", key,
                "subject_token_type", API_KEY_TYPE), "Authorization", basic);
    }

    static String token(String key) {
        Http.Response r = exchange(key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    static void assertRefused(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(r.json().get("error_description").asText()).isEqualTo(ApiKeys.REFUSED);
    }

    static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    @Test
    void aServiceAccountsKeyExchangesForTheAccountsTokenNarrowedToTheKeysPermissions() throws Exception {
        String org = newOrg("Invoices Inc");
        String sa = newAccount(org);
        Http.Response made = admin("POST", keys(org, sa), "{\"name\":\"nightly\",\"scope\":\"invoices\"}", 201);
        assertThat(made.header("Cache-Control")).contains("no-store");
        JsonNode created = made.json();
        String key = created.get("key").asText();
        assertThat(key).startsWith("lk_");
        assertThat(created.get("organization").asText()).isEqualTo(org);

        String token = token(key);
        JWTClaimsSet jwt = claims(token);
        assertThat(jwt.getSubject()).isEqualTo("sa_" + sa);
        assertThat(jwt.getStringClaim("sub_type")).isEqualTo("service_account");
        assertThat(jwt.getStringClaim("org")).isEqualTo(org);
        assertThat(jwt.getStringClaim("client_id")).isEqualTo("billing-api");
        assertThat(jwt.getStringClaim("scope")).isEqualTo("invoices");
        assertThat(jwt.getStringListClaim("roles")).containsExactly("sak-editor");
        assertThat(jwt.getStringListClaim("permissions")).containsExactly("invoices:read", "invoices:write");
        assertThat(jwt.getStringClaim("sid")).isEqualTo(created.get("id").asText());
        VerifiedToken v = api.verify(token);
        assertThat(v.kind()).isEqualTo(PrincipalKind.SERVICE_ACCOUNT);
        assertThat(v.userId()).isEmpty();

        // a key naming fewer permissions: the token has only those, and no roles (which would claim more)
        String narrow = admin("POST", keys(org, sa), "{\"name\":\"read only\",\"permissions\":[\"invoices:read\"]}", 201)
                .json().get("key").asText();
        JWTClaimsSet n = claims(token(narrow));
        assertThat(n.getStringListClaim("permissions")).containsExactly("invoices:read");
        assertThat(n.getClaim("roles")).isNull();

        JsonNode listed = admin("GET", keys(org, sa), null, 200).json().get("api_keys");
        assertThat(listed).hasSize(2);
        assertThat(listed.toString()).doesNotContain(key).doesNotContain(narrow);
    }

    @Test
    void revokingTheKeyRefusesItAndTheSdkDropsItsTokensThroughTheFeed() throws Exception {
        String org = newOrg("Revoking Ltd");
        String sa = newAccount(org);
        JsonNode created = admin("POST", keys(org, sa), "{\"name\":\"to revoke\"}", 201).json();
        String key = created.get("key").asText();
        String token = token(key);
        api.verify(token);
        // a second key of the same account: its token must survive the first key's revocation
        String other = admin("POST", keys(org, sa), "{\"name\":\"stays\"}", 201).json().get("key").asText();
        String otherToken = token(other);
        assertThat(introspectedActive(token)).as("introspection before revocation").isTrue();

        admin("DELETE", keys(org, sa) + "/" + created.get("id").asText(), null, 204);
        assertThat(introspectedActive(token)).as("introspection checks the key").isFalse();
        assertThat(introspectedActive(otherToken)).as("the other key's token").isTrue();
        awaitRefused(token);
        assertRefused(exchange(key));
        assertThat(api.verify(otherToken).subject()).isEqualTo("sa_" + sa);
        assertThat(send("DELETE", keys(org, sa) + "/" + created.get("id").asText(), null).status()).as("revoked once").isEqualTo(404);
    }

    @Test
    void aDisabledAccountsKeyIsRefusedLikeAnyBadKeyAndWorksAgainWhenEnabled() throws Exception {
        String org = newOrg("Disabled Co");
        String sa = newAccount(org);
        String key = admin("POST", keys(org, sa), "{\"name\":\"k\"}", 201).json().get("key").asText();
        String token = token(key);
        admin("PATCH", "/admin/v1/orgs/" + org + "/service-accounts/" + sa, "{\"disabled\":true}", 200);
        assertRefused(exchange(key));
        awaitRefused(token);
        admin("PATCH", "/admin/v1/orgs/" + org + "/service-accounts/" + sa, "{\"disabled\":false}", 200);
        assertThat(exchange(key).status()).isEqualTo(200);
        // a deleted account: refused the same way
        admin("DELETE", "/admin/v1/orgs/" + org + "/service-accounts/" + sa, null, 204);
        assertRefused(exchange(key));
    }

    @Test
    void anotherOrganizationsPathDoesNotReachTheAccountOrItsKeys() {
        String org = newOrg("Owner Org");
        String elsewhere = newOrg("Other Org");
        String sa = newAccount(org);
        String id = admin("POST", keys(org, sa), "{\"name\":\"mine\"}", 201).json().get("id").asText();

        assertThat(send("POST", keys(elsewhere, sa), "{\"name\":\"theirs\"}").status()).isEqualTo(404);
        assertThat(send("GET", keys(elsewhere, sa), null).status()).isEqualTo(404);
        assertThat(send("DELETE", keys(elsewhere, sa) + "/" + id, null).status()).isEqualTo(404);
        // a key cannot name another organization than its account's
        Http.Response cross = send("POST", keys(org, sa), "{\"name\":\"x\",\"organization\":\"" + elsewhere + "\"}");
        assertThat(cross.status()).as(cross.body()).isEqualTo(400);
        assertThat(send("GET", keys(org, "not-a-uuid"), null).status()).isEqualTo(404);
        assertThat(admin("GET", keys(org, sa), null, 200).json().get("api_keys").get(0).get("state").asText()).isEqualTo("active");
    }

    @Test
    void twentyConcurrentRevocationsOfOneKeyRevokeItOnce() throws Exception {
        String org = newOrg("Race Org");
        String sa = newAccount(org);
        String id = admin("POST", keys(org, sa), "{\"name\":\"raced\"}", 201).json().get("id").asText();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return send("DELETE", keys(org, sa) + "/" + id, null).status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(204, 404);
            assertThat(statuses.stream().filter(s -> s == 204).count()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        long entries = ts.backend().database().jdbc().queryOne("SELECT count(*) AS n FROM revocations WHERE kind = 'session' AND session_id = ?",
                rs -> rs.getLong("n"), java.util.UUID.fromString(id)).orElseThrow();
        assertThat(entries).as("one revocation entry").isEqualTo(1);
    }

    @Test
    void deletingTheAccountDeletesItsKeysAndAnnouncesEachLiveKeyOnceEvenUnderConcurrentDeletions() throws Exception {
        String org = newOrg("Deleting Co");
        String sa = newAccount(org);
        JsonNode live = admin("POST", keys(org, sa), "{\"name\":\"live\"}", 201).json();
        JsonNode revoked = admin("POST", keys(org, sa), "{\"name\":\"revoked before\"}", 201).json();
        admin("DELETE", keys(org, sa) + "/" + revoked.get("id").asText(), null, 204);
        String liveId = live.get("id").asText();
        List<RevocationEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
        try (RevocationFeed watching = RevocationFeed.builder().issuer(ts.base).credentials(FeedCredentials.clientSecretBasic("billing-api",
                        secret)).reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).onRevocation(events::add).build().start()) {
            assertThat(watching.awaitReady(WITHIN)).isTrue();

            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<Integer> statuses = new ArrayList<>();
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return send("DELETE", "/admin/v1/orgs/" + org + "/service-accounts/" + sa, null).status();
                    }));
                }
                go.countDown();
                for (Future<Integer> f : results) {
                    statuses.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(statuses).containsOnly(204, 404);
            assertThat(statuses.stream().filter(s -> s == 204).count()).isEqualTo(1);

            var jdbc = ts.backend().database().jdbc();
            long rows = jdbc.queryOne("SELECT count(*) FROM api_keys WHERE owner_kind = 'service_account' AND owner_id = ?",
                    rs -> rs.getLong(1), java.util.UUID.fromString(sa)).orElseThrow();
            assertThat(rows).as("the account's key rows are gone with it").isZero();
            long liveEntries = jdbc.queryOne("SELECT count(*) FROM revocations WHERE kind = 'session' AND session_id = ?",
                    rs -> rs.getLong(1), java.util.UUID.fromString(liveId)).orElseThrow();
            assertThat(liveEntries).as("the live key announced once").isEqualTo(1);
            long revokedEntries = jdbc.queryOne("SELECT count(*) FROM revocations WHERE kind = 'session' AND session_id = ?",
                    rs -> rs.getLong(1), java.util.UUID.fromString(revoked.get("id").asText())).orElseThrow();
            assertThat(revokedEntries).as("the key revoked before is not announced again").isEqualTo(1);

            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (events.stream().noneMatch(e -> e.kind() == RevocationEvent.Kind.SESSION && e.sessionId().equals(java.util.Optional.of(liveId)))) {
                assertThat(System.nanoTime()).as("the feed carries the live key's revocation").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(events).as("and the account's deletion")
                    .anyMatch(e -> e.kind() == RevocationEvent.Kind.SERVICE_ACCOUNT_DISABLED && e.userId().equals("sa_" + sa));
        }
        assertRefused(exchange(live.get("key").asText()));
    }

    @Test
    void deletingTheOrganizationEndsItsServiceAccountsTokensThroughTheFeedAndDeletesTheirKeys() throws Exception {
        String org = newOrg("Short Lived Org");
        String sa = newAccount(org);
        String key = admin("POST", keys(org, sa), "{\"name\":\"k\"}", 201).json().get("key").asText();
        String token = token(key);
        assertThat(api.verify(token).subject()).isEqualTo("sa_" + sa);

        admin("DELETE", "/admin/v1/orgs/" + org, null, 204);
        awaitRefused(token);
        assertThat(introspectedActive(token)).isFalse();
        assertRefused(exchange(key));
        long rows = ts.backend().database().jdbc().queryOne("SELECT count(*) FROM api_keys WHERE owner_kind = 'service_account' AND owner_id = ?",
                rs -> rs.getLong(1), java.util.UUID.fromString(sa)).orElseThrow();
        assertThat(rows).isZero();
    }

    static boolean introspectedActive(String token) {
        Http.Response r = new Http(ts.base).postForm("/oauth2/introspect", Map.of("token", token), "Authorization", basic);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("active").asBoolean();
    }

    static void awaitRefused(String token) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (true) {
            try {
                api.verify(token);
            } catch (TokenRejectedException e) {
                assertThat(e.reason()).isEqualTo(RejectReason.REVOKED);
                return;
            }
            assertThat(System.nanoTime()).as("refused within " + WITHIN).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
