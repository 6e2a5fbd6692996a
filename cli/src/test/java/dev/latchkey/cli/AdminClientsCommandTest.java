package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.key.SigningAlgorithm;
import dev.latchkey.core.oauth.ApplicationType;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthMethod;
import dev.latchkey.core.oauth.GrantType;
import dev.latchkey.store.sql.PgClientStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code latchkey admin clients …} against a real database (and, for the last test, a real server on it). */
class AdminClientsCommandTest {
    static CliFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new CliFixture();
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** Read past every cache, as a server that has not seen the client yet would. */
    static Client stored(String id) {
        return new PgClientStore(fx.backend().database().jdbc()).find(id).orElse(null);
    }

    static String secretOf(CliFixture.Result r) {
        Matcher m = Pattern.compile("(?m)^client_secret: (\\S+)$").matcher(r.out());
        assertThat(m.find()).as(r.toString()).isTrue();
        return m.group(1);
    }

    static CliFixture.Result ok(String... args) {
        CliFixture.Result r = fx.run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void createListUpdateRotateDelete() {
        CliFixture.Result created = ok("admin", "clients", "create", "--id", "notes-web", "--name", "Notes",
                "--redirect-uri", "https://notes.example/cb", "--redirect-uri", "http://localhost:3000/cb",
                "--post-logout-redirect-uri", "https://notes.example/bye", "--grant-type", "authorization_code,refresh_token",
                "--scope", "openid profile", "--scope", "email", "--audience", "https://api.notes.example", "--first-party");
        String secret = secretOf(created);
        assertThat(created.err()).contains("shown only now");
        Client c = stored("notes-web");
        assertThat(c.name()).isEqualTo("Notes");
        assertThat(c.authMethod()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
        assertThat(c.redirectUris()).containsExactly("https://notes.example/cb", "http://localhost:3000/cb");
        assertThat(c.postLogoutRedirectUris()).containsExactly("https://notes.example/bye");
        assertThat(c.grantTypes()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
        assertThat(c.scopes()).containsExactlyInAnyOrder("openid", "profile", "email");
        assertThat(c.audiences()).containsExactly("https://api.notes.example");
        assertThat(c.firstParty()).isTrue();
        assertThat(c.requirePar()).isFalse();
        assertThat(c.secretHash()).isEqualTo(Digests.sha256(secret));      // the printed secret is the stored one

        CliFixture.Result list = ok("admin", "clients", "list");
        assertThat(list.out()).containsPattern("(?m)^notes-web\\s+client_secret_basic\\s+yes\\s+authorization_code,refresh_token\\s+Notes$");

        // only what is given changes; the secret stays
        CliFixture.Result updated = ok("admin", "clients", "update", "notes-web", "--no-first-party", "--require-par",
                "--redirect-uri", "https://notes.example/callback");
        assertThat(updated.out()).doesNotContain("client_secret:");
        Client u = stored("notes-web");
        assertThat(u.firstParty()).isFalse();
        assertThat(u.requirePar()).isTrue();
        assertThat(u.redirectUris()).containsExactly("https://notes.example/callback");
        assertThat(u.name()).isEqualTo("Notes");
        assertThat(u.scopes()).isEqualTo(c.scopes());
        assertThat(u.audiences()).isEqualTo(c.audiences());
        assertThat(u.postLogoutRedirectUris()).isEqualTo(c.postLogoutRedirectUris());
        assertThat(u.grantTypes()).isEqualTo(c.grantTypes());
        assertThat(u.secretHash()).isEqualTo(c.secretHash());
        assertThat(u.createdAt()).isEqualTo(c.createdAt());

        String rotated = secretOf(ok("admin", "clients", "rotate-secret", "notes-web"));
        assertThat(rotated).isNotEqualTo(secret);
        assertThat(stored("notes-web").secretHash()).isEqualTo(Digests.sha256(rotated));

        assertThat(ok("admin", "clients", "delete", "notes-web").out()).contains("deleted client notes-web");
        assertThat(stored("notes-web")).isNull();
        assertThat(ok("admin", "clients", "list").out()).doesNotContain("notes-web");
        CliFixture.Result again = fx.run("admin", "clients", "delete", "notes-web");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("latchkey: no client notes-web\n");
    }

    @Test
    void publicAndPrivateKeyJwtClientsHaveNoSecret(@TempDir Path dir) throws Exception {
        CliFixture.Result spa = ok("admin", "clients", "create", "--id", "spa", "--auth-method", "none",
                "--redirect-uri", "https://spa.example/cb", "--grant-type", "authorization_code");
        assertThat(spa.out()).contains("none (public client)").doesNotContain("client_secret:");
        assertThat(stored("spa").secretHash()).isNull();
        CliFixture.Result rotate = fx.run("admin", "clients", "rotate-secret", "spa");
        assertThat(rotate.code()).as(rotate.toString()).isEqualTo(2);
        assertThat(rotate.err()).isEqualTo("latchkey: This client does not use a secret.\n");

        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("svc-1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        CliFixture.Result svc = ok("admin", "clients", "create", "--id", "svc", "--auth-method", "private_key_jwt",
                "--grant-type", "client_credentials", "--scope", "notes:read", "--jwks-file", jwks.toString());
        assertThat(svc.out()).doesNotContain("client_secret:");
        assertThat(JWKSet.parse(stored("svc").jwks()).getKeyByKeyId("svc-1").toECKey().toPublicJWK()).isEqualTo(key.toPublicJWK());

        // an update that does not name the keys keeps them
        ok("admin", "clients", "update", "svc", "--scope", "notes:read notes:write");
        assertThat(stored("svc").jwks()).contains("svc-1");
        assertThat(stored("svc").scopes()).containsExactlyInAnyOrder("notes:read", "notes:write");
        // moving to a secret method drops the keys and prints the new secret once
        CliFixture.Result toSecret = ok("admin", "clients", "update", "svc", "--auth-method", "client_secret_post");
        assertThat(stored("svc").jwks()).isNull();
        assertThat(stored("svc").secretHash()).isEqualTo(Digests.sha256(secretOf(toSecret)));

        Path withPrivate = dir.resolve("private.json");
        Files.writeString(withPrivate, new JWKSet(key).toString(false));
        CliFixture.Result leaked = fx.run("admin", "clients", "create", "--id", "leaky", "--auth-method", "private_key_jwt",
                "--grant-type", "client_credentials", "--jwks-file", withPrivate.toString());
        assertThat(leaked.code()).as(leaked.toString()).isEqualTo(2);
        assertThat(leaked.err()).contains("contains a private key");
        assertThat(stored("leaky")).isNull();
    }

    @Test
    void validationProblemsAreReportedAllAtOnceWithExitCode2() {
        CliFixture.Result r = fx.run("admin", "clients", "create", "--id", "bad id!", "--auth-method", "magic",
                "--redirect-uri", "http://app.example/cb", "--grant-type", "password");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("latchkey: ").doesNotContain("Exception").doesNotContain("\tat ")
                .contains("client_id may only contain letters")
                .contains("token_endpoint_auth_method must be")
                .contains("'http://app.example/cb' must use https")
                .contains("'password' is not supported");

        ok("admin", "clients", "create", "--id", "twice", "--redirect-uri", "https://twice.example/cb");
        CliFixture.Result dup = fx.run("admin", "clients", "create", "--id", "twice", "--redirect-uri", "https://twice.example/cb");
        assertThat(dup.code()).isEqualTo(2);
        assertThat(dup.err()).contains("already exists");

        CliFixture.Result unknown = fx.run("admin", "clients", "update", "nope", "--name", "x");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("latchkey: no client nope\n");

        CliFixture.Result badOption = fx.run("admin", "clients", "create", "--colour", "blue");
        assertThat(badOption.code()).isEqualTo(2);
        assertThat(badOption.err()).contains("Unknown options: '--colour', 'blue'");
    }

    @Test
    void aClientIdOfAUserIdsFormIsRefused() {
        String userId = java.util.UUID.randomUUID().toString();
        for (String id : new String[] {userId, userId.toUpperCase(), userId.replace("-", "")}) {
            CliFixture.Result r = fx.run("admin", "clients", "create", "--id", id, "--auth-method", "client_secret_post",
                    "--grant-type", "client_credentials", "--scope", "reports:read");
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).startsWith("latchkey: ").contains("client_id must not look like a UUID").doesNotContain("\tat ");
            assertThat(stored(id)).isNull();
        }
    }

    @Test
    void idTokenAlgorithmAndApplicationTypeAreOptionsKeptByUpdate() {
        CliFixture.Result created = ok("admin", "clients", "create", "--id", "desktop", "--auth-method", "none",
                "--redirect-uri", "http://127.0.0.1/cb", "--application-type", "native", "--id-token-signed-response-alg", "ES256");
        assertThat(created.out()).containsPattern("id_token_signed_response_alg: +ES256").containsPattern("application_type: +native");
        Client c = stored("desktop");
        assertThat(c.applicationType()).isEqualTo(ApplicationType.NATIVE);
        assertThat(c.idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.ES256);
        ok("admin", "clients", "update", "desktop", "--name", "Desktop app");
        assertThat(stored("desktop").idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(stored("desktop").applicationType()).isEqualTo(ApplicationType.NATIVE);
        ok("admin", "clients", "update", "desktop", "--id-token-signed-response-alg", "RS256", "--application-type", "web");
        assertThat(stored("desktop").idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.RS256);
        assertThat(stored("desktop").applicationType()).isEqualTo(ApplicationType.WEB);

        ok("admin", "clients", "create", "--id", "plain-rp", "--redirect-uri", "https://rp.example/cb");
        assertThat(stored("plain-rp").idTokenSignedResponseAlg()).as("the default").isEqualTo(SigningAlgorithm.RS256);
        assertThat(stored("plain-rp").applicationType()).isEqualTo(ApplicationType.WEB);
        CliFixture.Result bad = fx.run("admin", "clients", "update", "plain-rp", "--id-token-signed-response-alg", "HS256",
                "--application-type", "desktop");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("id_token_signed_response_alg must be RS256 (the default) or ES256")
                .contains("application_type must be web (the default) or native");
    }

    @Test
    void everyCommandExplainsItselfWithHelp() {
        CliFixture.Result help = ok("admin", "clients", "update", "--help");
        assertThat(help.out()).contains("Usage: latchkey admin clients update").contains("--redirect-uri=URI")
                .contains("--[no-]first-party").contains("--jwks-file=FILE");
        assertThat(ok("admin", "keys", "--help").out()).contains("create").contains("list").contains("revoke");
        assertThat(ok("admin", "clients", "rotate-secret", "-h").out()).contains("Usage: latchkey admin clients rotate-secret");
        assertThat(ok("help", "admin").out()).contains("clients").contains("keys");
        assertThat(ok("--help").out()).contains("admin");
    }

    @Test
    void aClientCreatedHereGetsTokensFromARunningServer() throws Exception {
        String base = fx.startServer();
        String secret = secretOf(ok("admin", "clients", "create", "--id", "reporting", "--grant-type", "client_credentials",
                "--scope", "reports:read", "--audience", "https://reports.example"));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("reporting:" + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"access_token\"").contains("\"scope\":\"reports:read\"");
    }
}
