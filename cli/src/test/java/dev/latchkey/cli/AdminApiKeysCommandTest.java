package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code latchkey admin api-keys …}: a user's key made, listed (never its text) and revoked from the command line. */
class AdminApiKeysCommandTest {
    static CliFixture fx;
    static String base;

    @BeforeAll
    static void setUp() {
        fx = new CliFixture();
        base = fx.startServer();
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void createListRevoke() throws Exception {
        String email = "cli-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/auth/signup"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"a perfectly fine passphrase\"}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(201);

        CliFixture.Result created = fx.run("admin", "api-keys", "create", "--user", email, "--name", "deploys", "--expires-in", "30");
        assertThat(created.code()).as(created.toString()).isZero();
        String key = created.out().strip();
        assertThat(key).matches("lk_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{43}");
        assertThat(created.err()).contains("shown only now");
        String id = created.err().replaceAll("(?s).*\\(.*id ([0-9a-f-]{36})\\).*", "$1");

        CliFixture.Result list = fx.run("admin", "api-keys", "list", "--user", email);
        assertThat(list.out()).doesNotContain(key).containsPattern("(?m)^" + id + "\\s+" + key.split("_")[2] + "\\s+active\\s+.*deploys$");

        assertThat(fx.run("admin", "api-keys", "revoke", "--user", email, id).code()).isZero();
        assertThat(fx.run("admin", "api-keys", "list", "--user", email).out()).containsPattern("(?m)^" + id + "\\s+\\S+\\s+revoked\\s");
        CliFixture.Result twice = fx.run("admin", "api-keys", "revoke", "--user", email, id);
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).contains("No such active API key.");

        CliFixture.Result tooLong = fx.run("admin", "api-keys", "create", "--user", email, "--name", "x", "--expires-in", "4000");
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.err()).contains("at most 365 days");
        CliFixture.Result nobody = fx.run("admin", "api-keys", "list", "--user", "nobody@example.test");
        assertThat(nobody.err()).contains("no user nobody@example.test");
    }
}
