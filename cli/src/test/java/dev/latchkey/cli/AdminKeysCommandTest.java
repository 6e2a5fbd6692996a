package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code latchkey admin keys …}: a key made here opens the admin API of a running server until it is revoked here. */
class AdminKeysCommandTest {
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

    static int adminApi(String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/clients"))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void createUseListRevoke() throws Exception {
        CliFixture.Result created = fx.run("admin", "keys", "create", "--name", "terraform");
        assertThat(created.code()).as(created.toString()).isZero();
        String key = created.out().strip();
        assertThat(key).matches("lka_[A-Za-z0-9_-]{43}");
        assertThat(created.err()).contains("shown only now");
        assertThat(adminApi(key)).isEqualTo(200);
        assertThat(adminApi(key + "x")).isEqualTo(401);

        CliFixture.Result list = fx.run("admin", "keys", "list");
        assertThat(list.out()).doesNotContain(key);
        Matcher m = Pattern.compile("(?m)^([0-9a-f-]{36})\\s+active\\s+\\S+\\s+terraform$").matcher(list.out());
        assertThat(m.find()).as(list.toString()).isTrue();
        String id = m.group(1);

        CliFixture.Result revoked = fx.run("admin", "keys", "revoke", id);
        assertThat(revoked.code()).as(revoked.toString()).isZero();
        assertThat(adminApi(key)).isEqualTo(401);
        assertThat(fx.run("admin", "keys", "list").out()).containsPattern("(?m)^" + id + "\\s+revoked\\s+\\S+\\s+terraform$");

        CliFixture.Result twice = fx.run("admin", "keys", "revoke", id);
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).isEqualTo("latchkey: no active admin key " + id + "\n");
    }

    static int call(String method, String path, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String org(String deploymentKey, String name) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/orgs"))
                .header("Authorization", "Bearer " + deploymentKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    @Test
    void anOrgKeyByNameOrIdReachesOnlyItsOrganization() throws Exception {
        String deployment = fx.run("admin", "keys", "create", "--name", "setup").out().strip();
        String name = "Cli Org " + java.util.UUID.randomUUID().toString().substring(0, 8);
        String orgId = org(deployment, name);
        String other = org(deployment, name + " other");

        CliFixture.Result byName = fx.run("admin", "keys", "create", "--name", "org admins", "--org", name);
        assertThat(byName.code()).as(byName.toString()).isZero();
        String key = byName.out().strip();
        assertThat(key).matches("lka_[A-Za-z0-9_-]{43}");
        assertThat(byName.err()).contains("for organization " + orgId).contains("shown only now");
        assertThat(call("GET", "/admin/v1/orgs/" + orgId + "/members", key)).isEqualTo(200);
        assertThat(call("GET", "/admin/v1/orgs/" + other + "/members", key)).isEqualTo(403);
        assertThat(call("GET", "/admin/v1/clients", key)).isEqualTo(403);
        assertThat(call("DELETE", "/admin/v1/orgs/" + orgId, key)).isEqualTo(403);

        CliFixture.Result byId = fx.run("admin", "keys", "create", "--name", "by id", "--org", other);
        assertThat(byId.code()).as(byId.toString()).isZero();
        assertThat(call("GET", "/admin/v1/orgs/" + other + "/members", byId.out().strip())).isEqualTo(200);
        assertThat(fx.run("admin", "keys", "list").out()).containsPattern("(?m)\\s+active\\s+\\S+\\s+org admins  \\(org " + orgId + "\\)$");

        CliFixture.Result unknown = fx.run("admin", "keys", "create", "--name", "x", "--org", "no such org");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no organization 'no such org'");
        CliFixture.Result unknownId = fx.run("admin", "keys", "create", "--name", "x", "--org", java.util.UUID.randomUUID().toString());
        assertThat(unknownId.code()).isEqualTo(2);
        org(deployment, name);
        CliFixture.Result ambiguous = fx.run("admin", "keys", "create", "--name", "x", "--org", name);
        assertThat(ambiguous.code()).isEqualTo(2);
        assertThat(ambiguous.err()).contains("2 organizations are named '" + name + "'; use the id");
    }

    @Test
    void badInputIsExitCode2() {
        CliFixture.Result notAnId = fx.run("admin", "keys", "revoke", "terraform");
        assertThat(notAnId.code()).isEqualTo(2);
        assertThat(notAnId.err()).contains("'terraform' is not a key id");
        CliFixture.Result noName = fx.run("admin", "keys", "create");
        assertThat(noName.code()).isEqualTo(2);
        assertThat(noName.err()).contains("Missing required option: '--name=NAME'");
        CliFixture.Result blank = fx.run("admin", "keys", "create", "--name", "  ");
        assertThat(blank.code()).isEqualTo(2);
        assertThat(blank.err()).contains("--name must be 1 to 200 characters");
    }
}
