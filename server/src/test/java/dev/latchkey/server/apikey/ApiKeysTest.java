package dev.latchkey.server.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.RequestContext;
import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyOwner;
import dev.latchkey.core.apikey.ApiKeys;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.sdk.revocation.FeedCredentials;
import dev.latchkey.sdk.revocation.RevocationFeed;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenRejectedException;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.sdk.token.VerifiedToken;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.store.sql.PgApiKeyStore;
import dev.latchkey.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API keys end to end over real HTTP against a real server and PostgreSQL: made through the admin API, exchanged at
 * the token endpoint (RFC 8693) by an authenticated client, the token verified by the SDK's real verifier with the
 * real revocation feed; every refusal (wrong, unknown, tampered, revoked, expired, outside the key's scope or
 * organization, a disabled owner) is a clear OAuth error; revocation reaches the SDK through the feed (the delay is
 * printed); twenty concurrent exchanges of one key all succeed; last use is written at most once a minute.
 */
class ApiKeysTest {
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
                {"client_id":"notes-api","grant_types":["client_credentials","%s"],"scope":"latchkey:revocations"}""".formatted(EXCHANGE))
                .json().get("client_secret").asText();
        basic = "Basic " + Base64.getEncoder().encodeToString(("notes-api:" + secret).getBytes(StandardCharsets.UTF_8));
        feed = RevocationFeed.builder().issuer(ts.base).credentials(FeedCredentials.clientSecretBasic("notes-api", secret))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build().start();
        assertThat(feed.awaitReady(WITHIN)).isTrue();
        api = TokenVerifier.builder().issuer(ts.base).audience(ts.base).revocationCheck(feed).build();
        admin("PUT", "/admin/v1/roles/editor", "{\"permissions\":[\"notes:read\",\"notes:write\"]}");
    }

    @AfterAll
    static void stop() {
        feed.close();
        ts.close();
    }

    static Http.Response admin(String method, String path, String json) {
        Http.Response r = adminRaw(method, path, json);
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201, 204);
        return r;
    }

    static Http.Response adminRaw(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        return new Http(ts.base).send(HttpRequest.newBuilder(URI.create(ts.base + path)).method(method, body)
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json"));
    }

    /** A new user; returns their id. */
    static String newUser() {
        String email = "key-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response r = new Http(ts.base).postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"a perfectly fine passphrase\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return ts.backend().users().findByEmail(dev.latchkey.core.account.EmailAddress.parse(email)).orElseThrow().id().toString();
    }

    static JsonNode createKey(String user, String json) {
        return admin("POST", "/admin/v1/users/" + user + "/api-keys", json).json();
    }

    static Http.Response exchange(String key, String... more) {
        Map<String, String> form = new java.util.LinkedHashMap<>(Map.of("grant_type", EXCHANGE, "subject_token", key,
                "subject_token_type", API_KEY_TYPE));
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] == null) {
                form.remove(more[i]);
            } else {
                form.put(more[i], more[i + 1]);
            }
        }
        return new Http(ts.base).postForm("/oauth2/token", form, "Authorization", basic);
    }

    static String token(String key) {
        Http.Response r = exchange(key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    static void assertRefused(Http.Response r, String error) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo(error);
    }

    static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    @Test
    void aKeyIsShownOnceAndExchangedForAShortLivedTokenOfItsOwnerThatTheSdkAccepts() throws Exception {
        String user = newUser();
        JsonNode created = createKey(user, "{\"name\":\"CI deploys\",\"scope\":\"notes.read notes.write\"}");
        String key = created.get("key").asText();
        assertThat(key).matches("lk_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{43}");
        assertThat(key).contains("_" + created.get("key_id").asText() + "_");
        assertThat(created.get("expires_at").isNull()).as("the default max lifetime applies").isFalse();

        Http.Response r = exchange(key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).contains("no-store");
        JsonNode body = r.json();
        assertThat(body.get("issued_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isBetween(1L, 300L);
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(body.get("scope").asText()).isEqualTo("notes.read notes.write");

        VerifiedToken v = api.verify(body.get("access_token").asText());
        assertThat(v.subject()).isEqualTo(user);
        JWTClaimsSet c = claims(body.get("access_token").asText());
        assertThat(c.getStringClaim("sid")).isEqualTo(created.get("id").asText());
        assertThat(c.getStringClaim("client_id")).isEqualTo("notes-api");
        assertThat(c.getClaim("amr")).as("nobody signed in: no amr, so no multi-factor claim").isNull();

        // narrowed scope; a scope beyond the key's is invalid_scope
        Http.Response narrow = exchange(key, "scope", "notes.read");
        assertThat(narrow.json().get("scope").asText()).isEqualTo("notes.read");
        assertRefused(exchange(key, "scope", "notes.read notes.delete"), "invalid_scope");

        // listed without its text, with its last use
        JsonNode list = admin("GET", "/admin/v1/users/" + user + "/api-keys", null).json().get("api_keys");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).has("key")).isFalse();
        assertThat(list.get(0).get("state").asText()).isEqualTo("active");
        assertThat(list.get(0).get("last_used_at").isNull()).isFalse();
        assertThat(list.toString()).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
    }

    @Test
    void wrongUnknownAndTamperedKeysAreRefusedWithOneMessage() {
        String user = newUser();
        String key = createKey(user, "{\"name\":\"k\"}").get("key").asText();
        String[] parts = key.split("_");
        String secret = parts[3];
        String otherSecret = (secret.charAt(0) == 'A' ? "B" : "A") + secret.substring(1);
        String otherId = (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
        List<String> bad = List.of(
                "lk_live_" + parts[2] + "_" + otherSecret,          // changed secret
                "lk_live_" + otherId + "_" + secret,                // changed (unknown) id
                "lk_test_" + parts[2] + "_" + secret,               // changed environment
                key.substring(0, key.length() - 1),                 // cut short
                "lk_live_nonsense");
        List<String> messages = new ArrayList<>();
        for (String b : bad) {
            Http.Response r = exchange(b);
            assertRefused(r, "invalid_grant");
            messages.add(r.json().get("error_description").asText());
        }
        assertThat(messages).allMatch(m -> m.equals(ApiKeys.REFUSED));
        assertThat(exchange(key).status()).as("the real key still works").isEqualTo(200);
    }

    @Test
    void theRequestMustNameTheApiKeyTokenTypeAndComeFromAnAuthenticatedClientWithTheGrant() {
        String user = newUser();
        String key = createKey(user, "{\"name\":\"k\"}").get("key").asText();
        Http.Response missing = exchange(key, "subject_token_type", null);
        assertRefused(missing, "invalid_request");
        assertThat(missing.json().get("error_description").asText()).contains(API_KEY_TYPE);
        assertRefused(exchange(key, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"), "invalid_request");
        assertRefused(exchange(key, "requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token"), "invalid_request");

        Http.Response noClient = new Http(ts.base).postForm("/oauth2/token", Map.of("grant_type", EXCHANGE, "subject_token", key,
                "subject_token_type", API_KEY_TYPE, "client_id", "notes-api"));
        assertThat(noClient.status()).as(noClient.body()).isEqualTo(401);

        String other = admin("POST", "/admin/v1/clients", """
                {"client_id":"no-exchange","grant_types":["client_credentials"],"scope":"x"}""").json().get("client_secret").asText();
        Http.Response withoutGrant = new Http(ts.base).postForm("/oauth2/token", Map.of("grant_type", EXCHANGE, "subject_token", key,
                "subject_token_type", API_KEY_TYPE), "Authorization", "Basic " + Base64.getEncoder().encodeToString(
                ("no-exchange:" + other).getBytes(StandardCharsets.UTF_8)));
        assertRefused(withoutGrant, "unauthorized_client");

        Http.Response publicClient = adminRaw("POST", "/admin/v1/clients", """
                {"client_id":"spa-exchange","grant_types":["%s"],"token_endpoint_auth_method":"none"}""".formatted(EXCHANGE));
        assertThat(publicClient.status()).as(publicClient.body()).isEqualTo(400);
        assertThat(publicClient.body()).contains("cannot use token exchange");
    }

    @Test
    void revokingAKeyRefusesItAndTheSdkDropsItsTokensThroughTheFeed() throws Exception {
        String user = newUser();
        JsonNode created = createKey(user, "{\"name\":\"to revoke\"}");
        String key = created.get("key").asText();
        String token = token(key);
        api.verify(token);

        long revoked = System.nanoTime();
        admin("DELETE", "/admin/v1/users/" + user + "/api-keys/" + created.get("id").asText(), null);
        long refusedAfter = awaitRefused(token) - revoked;
        System.out.printf("API key revocation propagation to the SDK verifier: %.1f ms%n", refusedAfter / 1e6);

        assertRefused(exchange(key), "invalid_grant");
        assertThat(adminRaw("DELETE", "/admin/v1/users/" + user + "/api-keys/" + created.get("id").asText(), null).status())
                .as("revoked once").isEqualTo(404);
        assertThat(admin("GET", "/admin/v1/users/" + user + "/api-keys", null).json().get("api_keys").get(0).get("state").asText())
                .isEqualTo("revoked");
        // another user cannot revoke it (it is not theirs)
        String other = newUser();
        String otherKey = createKey(other, "{\"name\":\"x\"}").get("id").asText();
        assertThat(adminRaw("DELETE", "/admin/v1/users/" + user + "/api-keys/" + otherKey, null).status()).isEqualTo(404);
    }

    static JsonNode introspect(String token) {
        Http.Response r = new Http(ts.base).postForm("/oauth2/introspect", Map.of("token", token), "Authorization", basic);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void introspectionAnswersAnExchangedTokenActiveWhileItsKeyIsAndInactiveOnceRevokedOrItsOwnerDisabled() {
        String user = newUser();
        JsonNode created = createKey(user, "{\"name\":\"introspected\"}");
        String token = token(created.get("key").asText());
        JsonNode live = introspect(token);
        assertThat(live.get("active").asBoolean()).as(live.toString()).isTrue();
        assertThat(live.get("sub").asText()).isEqualTo(user);
        assertThat(live.get("sub_type").asText()).isEqualTo("user");
        assertThat(live.get("sid").asText()).as("the key's id").isEqualTo(created.get("id").asText());
        assertThat(live.get("username").asText()).endsWith("@example.test");

        admin("DELETE", "/admin/v1/users/" + user + "/api-keys/" + created.get("id").asText(), null);
        assertThat(introspect(token).get("active").asBoolean()).as("revoked key").isFalse();

        String other = newUser();
        String otherToken = token(createKey(other, "{\"name\":\"owner disabled\"}").get("key").asText());
        assertThat(introspect(otherToken).get("active").asBoolean()).isTrue();
        admin("POST", "/admin/v1/users/" + other + "/disable", null);
        assertThat(introspect(otherToken).get("active").asBoolean()).as("owner disabled").isFalse();
    }

    @Test
    void aDisabledOwnersKeyStopsAtOnceAndItsTokensAreRefused() throws Exception {
        String user = newUser();
        String key = createKey(user, "{\"name\":\"k\"}").get("key").asText();
        String token = token(key);
        admin("POST", "/admin/v1/users/" + user + "/disable", null);
        assertRefused(exchange(key), "invalid_grant");
        awaitRefused(token);
        admin("POST", "/admin/v1/users/" + user + "/enable", null);
        assertThat(exchange(key).status()).isEqualTo(200);
    }

    @Test
    void anExpiredKeyIsRefused() throws Exception {
        String user = newUser();
        String key = createKey(user, "{\"name\":\"short\",\"expires_in\":1}").get("key").asText();
        Thread.sleep(1100);
        Http.Response r = exchange(key);
        assertRefused(r, "invalid_grant");
        assertThat(r.json().get("error_description").asText()).isEqualTo(ApiKeys.REFUSED);
        Http.Response tooLong = adminRaw("POST", "/admin/v1/users/" + user + "/api-keys", "{\"name\":\"x\",\"expires_in\":" + 400L * 86400 + "}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("at most 365 days");
    }

    @Test
    void anOrganizationsKeyCarriesItsPermissionsNarrowedToTheKeysAndEndsWithTheMembership() throws Exception {
        String user = newUser();
        String acme = admin("POST", "/admin/v1/orgs", "{\"name\":\"Acme\"}").json().get("id").asText();
        Http.Response notMember = adminRaw("POST", "/admin/v1/users/" + user + "/api-keys",
                "{\"name\":\"x\",\"organization\":\"" + acme + "\"}");
        assertThat(notMember.status()).as(notMember.body()).isEqualTo(403);
        assertThat(notMember.body()).contains("not_a_member");
        Http.Response permsWithoutOrg = adminRaw("POST", "/admin/v1/users/" + user + "/api-keys",
                "{\"name\":\"x\",\"permissions\":[\"notes:read\"]}");
        assertThat(permsWithoutOrg.status()).isEqualTo(400);

        admin("PUT", "/admin/v1/orgs/" + acme + "/members/" + user, "{\"roles\":[\"editor\"]}");
        String full = createKey(user, "{\"name\":\"all\",\"organization\":\"" + acme + "\"}").get("key").asText();
        String readOnly = createKey(user, "{\"name\":\"read\",\"organization\":\"" + acme + "\",\"permissions\":[\"notes:read\",\"billing:read\"]}")
                .get("key").asText();
        String personal = createKey(user, "{\"name\":\"personal\"}").get("key").asText();

        VerifiedToken f = api.verify(token(full));
        assertThat(f.organization()).contains(acme);
        assertThat(f.hasPermission("notes:write")).isTrue();
        JWTClaimsSet r = claims(token(readOnly));
        assertThat(r.getStringClaim("org")).isEqualTo(acme);
        assertThat(r.getStringListClaim("permissions")).as("the key's, within the member's").containsExactly("notes:read");
        assertThat(r.getClaim("roles")).as("roles would claim more than the key may").isNull();
        assertThat(claims(token(personal)).getClaim("org")).as("a key without an organization gives none").isNull();

        admin("DELETE", "/admin/v1/orgs/" + acme + "/members/" + user, null);
        Http.Response gone = exchange(full);
        assertRefused(gone, "invalid_grant");
        assertThat(gone.json().get("error_description").asText()).contains("no longer a member");
        assertThat(exchange(personal).status()).isEqualTo(200);
    }

    @Test
    void theSdkAcceptsAnApiKeyFromItsCallersExchangesItOnceAndStopsAfterRevocation() throws Exception {
        String user = newUser();
        JsonNode created = createKey(user, "{\"name\":\"sdk\"}");
        String key = created.get("key").asText();
        dev.latchkey.sdk.apikey.ApiKeyExchanger exchanger = dev.latchkey.sdk.apikey.ApiKeyExchanger.builder().issuer(ts.base)
                .clientSecretBasic("notes-api", secret).build();
        dev.latchkey.sdk.http.BearerAuthenticator auth = new dev.latchkey.sdk.http.BearerAuthenticator(api, exchanger);

        var viaBearer = auth.authenticate(List.of("Bearer " + key), List.of(), null);
        assertThat(viaBearer).isInstanceOf(dev.latchkey.sdk.http.Authentication.Authenticated.class);
        VerifiedToken first = ((dev.latchkey.sdk.http.Authentication.Authenticated) viaBearer).token();
        assertThat(first.subject()).isEqualTo(user);
        var viaHeader = auth.authenticate(List.of(), List.of(key), null);
        VerifiedToken second = ((dev.latchkey.sdk.http.Authentication.Authenticated) viaHeader).token();
        assertThat(second.tokenId()).as("cached: one exchange for both requests").isEqualTo(first.tokenId());
        assertThat(first.sessionId()).contains(created.get("id").asText());
        assertThat(auth.authenticate(List.of("Bearer x"), List.of(key), null))
                .isInstanceOf(dev.latchkey.sdk.http.Authentication.InvalidRequest.class);

        String[] parts = key.split("_");
        String wrong = "lk_live_" + parts[2] + "_" + (parts[3].charAt(0) == 'A' ? "B" : "A") + parts[3].substring(1);
        assertThat(auth.authenticate(List.of("Bearer " + wrong), List.of(), null))
                .isEqualTo(new dev.latchkey.sdk.http.Authentication.Rejected(RejectReason.API_KEY_REFUSED));

        admin("DELETE", "/admin/v1/users/" + user + "/api-keys/" + created.get("id").asText(), null);
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (auth.authenticate(List.of("Bearer " + key), List.of(), null) instanceof dev.latchkey.sdk.http.Authentication.Authenticated) {
            assertThat(System.nanoTime()).as("refused within " + WITHIN).isLessThan(deadline);
            Thread.sleep(5);
        }
        assertThat(auth.authenticate(List.of("Bearer " + key), List.of(), null))
                .isEqualTo(new dev.latchkey.sdk.http.Authentication.Rejected(RejectReason.API_KEY_REFUSED));
    }

    @Test
    void twentyConcurrentExchangesOfOneKeyAllSucceed() throws Exception {
        String user = newUser();
        JsonNode created = createKey(user, "{\"name\":\"busy\"}");
        String key = created.get("key").asText();
        List<Future<Http.Response>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return exchange(key);
                }));
            }
            go.countDown();
            for (Future<Http.Response> f : results) {
                Http.Response r = f.get();
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(api.verify(r.json().get("access_token").asText()).subject()).isEqualTo(user);
            }
        }
        assertThat(results.stream().map(f -> {
            try {
                return f.get().json().get("access_token").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).distinct().count()).isEqualTo(20);
    }

    @Test
    void lastUseIsWrittenAtMostOnceAMinute() {
        MutableClock clock = MutableClock.atNow();
        PgApiKeyStore store = new PgApiKeyStore(ts.backend().database().jdbc());
        ApiKeys keys = new ApiKeys(store, ts.masterKey.derive("api-keys"), ts.backend().orgs(), ts.backend().audit(), clock,
                new ApiKeys.Policy("live", Duration.ofDays(30)));
        UUID user = UUID.fromString(newUser());
        ApiKeys.Created c = keys.create(new ApiKeys.NewKey(new ApiKeyOwner.User(user), "clocked", "", null, null, null), RequestContext.SYSTEM);
        keys.authenticate(c.text());
        java.time.Instant first = lastUsed(keys, user);
        assertThat(first).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));

        clock.advance(Duration.ofSeconds(59));
        keys.authenticate(c.text());
        assertThat(lastUsed(keys, user)).as("not rewritten within the minute").isEqualTo(first);

        clock.advance(Duration.ofSeconds(2));
        keys.authenticate(c.text());
        assertThat(lastUsed(keys, user)).as("rewritten once a minute has passed").isAfter(first);

        clock.advance(Duration.ofDays(31));
        try {
            keys.authenticate(c.text());
            throw new AssertionError("an expired key was accepted");
        } catch (LatchkeyException e) {
            assertThat(e.publicMessage()).isEqualTo(ApiKeys.REFUSED);
        }
    }

    static java.time.Instant lastUsed(ApiKeys keys, UUID user) {
        ApiKey k = keys.list(new ApiKeyOwner.User(user)).get(0);
        return k.lastUsedAt();
    }

    /** Polls the SDK verifier until it refuses the token as revoked; returns System.nanoTime() then. */
    static long awaitRefused(String token) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (true) {
            try {
                api.verify(token);
            } catch (TokenRejectedException e) {
                assertThat(e.reason()).isEqualTo(RejectReason.REVOKED);
                return System.nanoTime();
            }
            assertThat(System.nanoTime()).as("refused within " + WITHIN).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
