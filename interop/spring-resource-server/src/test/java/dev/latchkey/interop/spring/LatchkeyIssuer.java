package dev.latchkey.interop.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.key.SigningAlgorithm;
import dev.latchkey.core.oauth.token.IdTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Gets real tokens from a running Latchkey over HTTP, and calls the Spring app under test. */
final class LatchkeyIssuer {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LatchkeyIssuer() {
    }

    record Answer(int status, String body, String challenge) {
    }

    static Answer get(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    static JsonNode post(String url, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError("POST " + url + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Registers a confidential client through the admin API and returns its client_credentials access token. */
    static String clientCredentialsToken(Latchkey issuer) throws Exception {
        return clientCredentialsToken(issuer, "at+jwt");
    }

    /** The same, for a client registered with the given {@code access_token_type} (at+jwt or the opt-in jwt). */
    static String clientCredentialsToken(Latchkey issuer, String accessTokenType) throws Exception {
        String id = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = post(issuer.issuer + "/admin/v1/clients", "application/json", """
                {"client_id":"%s","token_endpoint_auth_method":"client_secret_post","grant_types":["client_credentials"],
                 "scope":"notes:read","audiences":["https://notes.example.test"],"access_token_type":"%s"}""".formatted(id, accessTokenType),
                "Authorization", "Bearer " + Latchkey.ADMIN_KEY).get("client_secret").asText();
        return post(issuer.issuer + "/oauth2/token", "application/x-www-form-urlencoded",
                form(Map.of("grant_type", "client_credentials", "client_id", id, "client_secret", secret, "scope", "notes:read")))
                .get("access_token").asText();
    }

    /** Signs a user up (first-party API) and returns the access token of the new session. */
    static String userToken(Latchkey issuer) throws Exception {
        return post(issuer.issuer + "/api/auth/signup", "application/json",
                "{\"email\":\"" + newEmail() + "\",\"password\":\"a perfectly fine passphrase\"}").get("access_token").asText();
    }

    /** A real ID token (typ JWT, RS256: the default) for a new user, as the token endpoint would hand an RP. */
    static String idToken(Latchkey issuer) throws Exception {
        String email = newEmail();
        post(issuer.issuer + "/api/auth/signup", "application/json", "{\"email\":\"" + email + "\",\"password\":\"a perfectly fine passphrase\"}");
        User user = issuer.server.backend().users().findByEmail(EmailAddress.parse(email)).orElseThrow();
        return new IdTokens(issuer.server.backend().accessTokens(), Clock.systemUTC(), issuer.issuer, Duration.ofMinutes(5))
                .issue(user, "some-rp", SigningAlgorithm.RS256, "n-0S6", Instant.now(), null, UUID.randomUUID().toString(), Set.of("openid"),
                        null);
    }

    private static String newEmail() {
        return "spring-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    private static String form(Map<String, String> m) {
        return m.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
