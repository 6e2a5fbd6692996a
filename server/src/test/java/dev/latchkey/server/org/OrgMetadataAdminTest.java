package dev.latchkey.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Organization metadata in the admin API over real HTTP against a real server and PostgreSQL: slugs (generated,
 * given, invalid, taken), custom claims (valid, refused with a clear problem), PATCH, lookup by slug, the
 * {@code org_claims} a member's token carries, and the per-organization audit trail's paging.
 */
class OrgMetadataAdminTest {
    static OidcFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new OidcFixture(Map.of());
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    static Http.Response call(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        return new Http(fx.base).send(HttpRequest.newBuilder(URI.create(fx.base + path)).method(method, body)
                .header("Authorization", "Bearer " + OidcFixture.ADMIN_KEY).header("Content-Type", "application/json"));
    }

    static JsonNode ok(String method, String path, String json) {
        Http.Response r = call(method, path, json);
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201);
        return r.json();
    }

    /** Asserts a problem document with {@code status} and {@code code}; returns its detail. */
    static String problem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo(code);
        return r.json().get("detail").asText();
    }

    static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void slugsAreGeneratedFromTheNameGivenOrRefused() {
        String tag = unique();
        JsonNode generated = ok("POST", "/admin/v1/orgs", "{\"name\":\"Ácme Corp " + tag + "!\"}");
        assertThat(generated.get("slug").asText()).isEqualTo("acme-corp-" + tag);
        assertThat(generated.get("claims").size()).isZero();
        JsonNode again = ok("POST", "/admin/v1/orgs", "{\"name\":\"Ácme Corp " + tag + "!\"}");
        String id = again.get("id").asText().replace("-", "");
        assertThat(again.get("slug").asText()).as("the name's slug is taken: made unique with the end of the id")
                .isEqualTo("acme-corp-" + tag + "-" + id.substring(id.length() - 12));

        JsonNode given = ok("POST", "/admin/v1/orgs", "{\"name\":\"Globex\",\"slug\":\"globex-" + tag + "\"}");
        assertThat(given.get("slug").asText()).isEqualTo("globex-" + tag);
        String taken = problem(call("POST", "/admin/v1/orgs", "{\"name\":\"Other\",\"slug\":\"globex-" + tag + "\"}"), 409, "slug_taken");
        assertThat(taken).isNotBlank();
        for (String bad : List.of("Globex", "globex_eu", "-globex", "globex-", "a".repeat(64), UUID.randomUUID().toString(), "")) {
            String detail = problem(call("POST", "/admin/v1/orgs", "{\"name\":\"Bad\",\"slug\":\"" + bad + "\"}"), 400, "validation_failed");
            assertThat(detail).as(bad).contains("slug");
        }
        assertThat(ok("GET", "/admin/v1/orgs", null).get("orgs").findValuesAsText("name")).doesNotContain("Other", "Bad");
    }

    @Test
    void patchChangesWhatItNamesAndTheSlugFindsTheOrganization() {
        String tag = unique();
        String id = ok("POST", "/admin/v1/orgs", "{\"name\":\"Initech\",\"slug\":\"initech-" + tag + "\"}").get("id").asText();
        ok("POST", "/admin/v1/orgs", "{\"name\":\"Taken\",\"slug\":\"taken-" + tag + "\"}");

        JsonNode renamed = ok("PATCH", "/admin/v1/orgs/" + id, "{\"name\":\"Initech Inc\"}");
        assertThat(renamed.get("name").asText()).isEqualTo("Initech Inc");
        assertThat(renamed.get("slug").asText()).as("left alone").isEqualTo("initech-" + tag);
        JsonNode reslugged = ok("PATCH", "/admin/v1/orgs/" + id, "{\"slug\":\"inited-" + tag + "\",\"claims\":{\"plan\":\"pro\"}}");
        assertThat(reslugged.get("slug").asText()).isEqualTo("inited-" + tag);
        assertThat(reslugged.get("name").asText()).isEqualTo("Initech Inc");
        assertThat(reslugged.get("claims").get("plan").asText()).isEqualTo("pro");

        problem(call("PATCH", "/admin/v1/orgs/" + id, "{\"slug\":\"taken-" + tag + "\"}"), 409, "slug_taken");
        problem(call("PATCH", "/admin/v1/orgs/" + id, "{}"), 400, "validation_failed");
        problem(call("PATCH", "/admin/v1/orgs/" + UUID.randomUUID(), "{\"name\":\"x\"}"), 404, "not_found");
        problem(call("PATCH", "/admin/v1/orgs/not-an-id", "{\"name\":\"x\"}"), 404, "not_found");

        JsonNode found = ok("GET", "/admin/v1/orgs?slug=inited-" + tag, null).get("orgs");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("id").asText()).isEqualTo(id);
        assertThat(found.get(0).get("slug").asText()).isEqualTo("inited-" + tag);
        assertThat(ok("GET", "/admin/v1/orgs?slug=initech-" + tag, null).get("orgs")).as("the old slug is free").isEmpty();
        assertThat(ok("GET", "/admin/v1/orgs?slug=" + URLEncoder.encode("no such", StandardCharsets.UTF_8), null).get("orgs")).isEmpty();
        ok("PATCH", "/admin/v1/orgs/" + id, "{\"claims\":null}");
        assertThat(ok("GET", "/admin/v1/orgs?slug=inited-" + tag, null).get("orgs").get(0).get("claims").size()).as("claims: null clears").isZero();
    }

    @Test
    void customClaimsAreCheckedAndRefusedWithAClearProblem() {
        String id = ok("POST", "/admin/v1/orgs", "{\"name\":\"Claims " + unique() + "\",\"claims\":{\"plan\":\"pro\",\"seats\":25,\"beta\":true,\"ratio\":0.5}}")
                .get("id").asText();
        JsonNode c = ok("GET", "/admin/v1/orgs/" + id, null).get("claims");
        assertThat(c.get("plan").asText()).isEqualTo("pro");
        assertThat(c.get("seats").asLong()).isEqualTo(25);
        assertThat(c.get("beta").asBoolean()).isTrue();
        assertThat(c.get("ratio").asDouble()).isEqualTo(0.5);

        StringBuilder eleven = new StringBuilder("{");
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        Map<String, String> refused = Map.of(
                eleven.append("}").toString(), "at most 10",
                "{\"a\":\"" + "x".repeat(90) + "\",\"b\":\"" + "y".repeat(90) + "\",\"c\":\"" + "z".repeat(90) + "\"}", "256 bytes",
                "{\"long\":\"" + "x".repeat(101) + "\"}", "longer than 100",
                "{\"sub\":\"admin\"}", "\"sub\" is a registered claim",
                "{\"org\":\"other\"}", "\"org\" is a registered claim",
                "{\"permissions\":\"all\"}", "\"permissions\" is a registered claim",
                "{\"Plan\":\"pro\"}", "lower-case",
                "{\"nested\":{\"a\":1}}", "no objects or lists",
                "{\"list\":[1]}", "no objects or lists",
                "[\"plan\"]", "JSON object");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            String detail = problem(call("PATCH", "/admin/v1/orgs/" + id, "{\"claims\":" + e.getKey() + "}"), 400, "validation_failed");
            assertThat(detail).as(e.getKey()).contains(e.getValue());
            detail = problem(call("POST", "/admin/v1/orgs", "{\"name\":\"Refused\",\"claims\":" + e.getKey() + "}"), 400, "validation_failed");
            assertThat(detail).as(e.getKey()).contains(e.getValue());
        }
        assertThat(ok("GET", "/admin/v1/orgs/" + id, null).get("claims").get("plan").asText()).as("unchanged by the refusals").isEqualTo("pro");
    }

    @Test
    void aMembersTokenCarriesTheOrganizationsClaims() throws Exception {
        String email = fx.newUser();
        String id = ok("POST", "/admin/v1/orgs", "{\"name\":\"Tokens " + unique() + "\",\"claims\":{\"plan\":\"pro\",\"seats\":25}}").get("id").asText();
        ok("PUT", "/admin/v1/orgs/" + id + "/members/" + email, "{\"roles\":[]}");
        Http device = new Http(fx.base);
        assertThat(device.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + OidcFixture.PASSWORD + "\"}").status())
                .isEqualTo(200);
        JWTClaimsSet c = SignedJWT.parse(refresh(device)).getJWTClaimsSet();
        assertThat(c.getStringClaim("org")).isEqualTo(id);
        assertThat(c.getJSONObjectClaim("org_claims")).containsExactlyInAnyOrderEntriesOf(Map.of("plan", "pro", "seats", 25L));
        String token = refresh(device);

        // introspection (RFC 7662 §2.2: other claims of the token) and the SDK's verified token show them too
        String clientId = "org-claims-rs-" + unique();
        String secret = fx.register("{\"client_id\":\"" + clientId + "\",\"grant_types\":[\"client_credentials\"]}")
                .get("client_secret").asText();
        Http.Response introspected = new Http(fx.base).postForm("/oauth2/introspect", Map.of("token", token), "Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(introspected.status()).as(introspected.body()).isEqualTo(200);
        assertThat(introspected.json().get("active").asBoolean()).isTrue();
        assertThat(introspected.json().get("org_claims").get("plan").asText()).isEqualTo("pro");
        assertThat(introspected.json().get("org_claims").get("seats").asLong()).isEqualTo(25);
        assertThat(introspected.json().get("org_claims").size()).isEqualTo(2);
        dev.latchkey.sdk.token.VerifiedToken verified = dev.latchkey.sdk.token.TokenVerifier.builder().issuer(fx.base).audience(fx.base).build()
                .verify(token);
        assertThat(verified.orgClaims().string("plan")).contains("pro");
        assertThat(verified.orgClaims().number("seats")).hasValue(25);
        assertThat(verified.orgClaims().names()).containsExactlyInAnyOrder("plan", "seats");

        ok("PATCH", "/admin/v1/orgs/" + id, "{\"claims\":{\"plan\":\"enterprise\"}}");
        c = SignedJWT.parse(refresh(device)).getJWTClaimsSet();
        assertThat(c.getJSONObjectClaim("org_claims")).as("the next token has the new claims").containsExactly(Map.entry("plan", "enterprise"));
        ok("PATCH", "/admin/v1/orgs/" + id, "{\"claims\":{}}");
        String without = refresh(device);
        assertThat(SignedJWT.parse(without).getJWTClaimsSet().getClaim("org_claims")).as("none: no claim").isNull();
        Http.Response plain = new Http(fx.base).postForm("/oauth2/introspect", Map.of("token", without), "Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(plain.json().has("org_claims")).as("no org_claims member when the token has none").isFalse();
        assertThat(dev.latchkey.sdk.token.TokenVerifier.builder().issuer(fx.base).audience(fx.base).build().verify(without).orgClaims().names())
                .isEmpty();
    }

    static String refresh(Http device) {
        Http.Response r = device.post("/api/auth/refresh", null, null, "X-CSRF", "1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    @Test
    void theOrganizationsAuditIsPagedNewestFirstAndHoldsOnlyItsEvents() {
        String id = ok("POST", "/admin/v1/orgs", "{\"name\":\"Audited " + unique() + "\"}").get("id").asText();
        String other = ok("POST", "/admin/v1/orgs", "{\"name\":\"Elsewhere " + unique() + "\"}").get("id").asText();
        for (int i = 0; i < 3; i++) {
            ok("PATCH", "/admin/v1/orgs/" + id, "{\"name\":\"Audited " + i + "\"}");
            ok("PATCH", "/admin/v1/orgs/" + other, "{\"name\":\"Elsewhere " + i + "\"}");
        }
        ok("PUT", "/admin/v1/orgs/" + id + "/members/" + fx.newUser(), "{\"roles\":[]}");

        List<JsonNode> events = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            JsonNode page = ok("GET", "/admin/v1/orgs/" + id + "/audit?limit=2" + (after == null ? "" : "&after=" + after), null);
            assertThat(page.get("events").size()).isBetween(1, 2);
            page.get("events").forEach(events::add);
            after = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (after != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(events).hasSize(5);
        List<Long> ids = events.stream().map(e -> e.get("id").asLong()).toList();
        assertThat(ids).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(events.get(events.size() - 1).get("type").asText()).as("oldest: the creation").isEqualTo("organization_created");
        assertThat(events.subList(1, 4)).allSatisfy(e -> assertThat(e.get("type").asText()).isEqualTo("organization_updated"));
        assertThat(events.get(0).get("type").asText()).as("newest: the membership").isEqualTo("membership_changed");

        JsonNode all = ok("GET", "/admin/v1/orgs/" + id + "/audit", null);
        assertThat(all.get("events")).hasSize(5);
        assertThat(all.get("next").isNull()).isTrue();
        assertThat(ok("GET", "/admin/v1/orgs/" + other + "/audit", null).get("events")).hasSize(4);

        for (String bad : List.of("limit=0", "limit=1001", "limit=x", "after=0", "after=x")) {
            problem(call("GET", "/admin/v1/orgs/" + id + "/audit?" + bad, null), 400, "validation_failed");
        }
        problem(call("GET", "/admin/v1/orgs/" + UUID.randomUUID() + "/audit", null), 404, "not_found");
    }

    @Test
    void theOrganizationListingIsPagedByIdAndEveryOrganizationIsOnExactlyOnePage() {
        java.util.Set<String> made = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            made.add(ok("POST", "/admin/v1/orgs", "{\"name\":\"Paged " + unique() + "\"}").get("id").asText());
        }
        java.util.List<String> seen = new java.util.ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            JsonNode page = ok("GET", "/admin/v1/orgs?limit=2" + (after == null ? "" : "&after=" + after), null);
            assertThat(page.get("orgs").size()).isBetween(0, 2);
            page.get("orgs").forEach(o -> seen.add(o.get("id").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (after != null && pages < 1000);
        assertThat(seen).doesNotHaveDuplicates().containsAll(made).isSorted();
        assertThat(seen).hasSameSizeAs(ok("GET", "/admin/v1/orgs?limit=1000", null).get("orgs").findValuesAsText("id"));
        for (String bad : java.util.List.of("limit=0", "limit=1001", "limit=x", "after=not-an-id")) {
            assertThat(problem(call("GET", "/admin/v1/orgs?" + bad, null), 400, "validation_failed")).contains("limit is 1-1000");
        }
    }
}
