package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code latchkey admin service-accounts …}: what the command does is what the running server's admin API shows. */
class AdminServiceAccountsCommandTest {
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

    static HttpResponse<String> send(String key, String method, String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createListDisableAddClientDelete() throws Exception {
        String key = fx.run("admin", "keys", "create", "--name", "sa-test").out().strip();
        HttpResponse<String> org = send(key, "POST", "/admin/v1/orgs", "{\"name\":\"Acme\"}");
        assertThat(org.statusCode()).as(org.body()).isEqualTo(201);
        String orgId = org.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");

        CliFixture.Result created = fx.run("admin", "service-accounts", "create", "exporter", "--org", orgId, "--role", "viewer");
        assertThat(created.code()).as(created.toString()).isZero();
        String id = created.out().split(" ")[0];
        assertThat(created.out()).isEqualTo(id + " sa_" + id + " exporter roles=viewer\n");
        assertThat(fx.run("admin", "service-accounts", "list", "--org", orgId).out()).contains("sa_" + id).contains("1 service account\n");

        CliFixture.Result client = fx.run("admin", "service-accounts", "add-client", id, "--org", orgId);
        assertThat(client.code()).as(client.toString()).isZero();
        assertThat(client.out()).containsPattern("(?m)^client_secret \\S{20,}$");

        assertThat(fx.run("admin", "service-accounts", "update", id, "--org", orgId, "--disabled", "true").out()).contains("(disabled)");
        HttpResponse<String> shown = send(key, "GET", "/admin/v1/orgs/" + orgId + "/service-accounts/" + id, null);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("\"disabled\":true").contains("\"clients\":[\"");
        CliFixture.Result refused = fx.run("admin", "service-accounts", "add-client", id, "--org", orgId);
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).isEqualTo("latchkey: This service account is disabled.\n");

        assertThat(fx.run("admin", "service-accounts", "delete", id, "--org", orgId).code()).isZero();
        assertThat(send(key, "GET", "/admin/v1/orgs/" + orgId + "/service-accounts/" + id, null).statusCode()).isEqualTo(404);
        assertThat(fx.run("admin", "service-accounts", "delete", id, "--org", orgId).err()).isEqualTo("latchkey: No such service account.\n");
    }
}
