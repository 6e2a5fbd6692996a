package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code latchkey admin roles …}: a role defined here is what the running server's admin API shows; bad permissions are refused by name. */
class AdminRolesCommandTest {
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

    static HttpResponse<String> get(String key, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void setListShowDelete() throws Exception {
        String key = fx.run("admin", "keys", "create", "--name", "roles-test").out().strip();

        CliFixture.Result set = fx.run("admin", "roles", "set", "editor", "--permission", "notes:write", "--permission", "notes:read",
                "--description", "Writes notes");
        assertThat(set.code()).as(set.toString()).isZero();
        assertThat(set.out()).isEqualTo("editor notes:read notes:write\n");

        assertThat(fx.run("admin", "roles", "list").out()).containsPattern("(?m)^editor\\s+notes:read notes:write$");
        HttpResponse<String> shown = get(key, "/admin/v1/roles/editor");
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("\"permissions\":[\"notes:read\",\"notes:write\"]").contains("Writes notes");

        CliFixture.Result bad = fx.run("admin", "roles", "set", "broken", "--permission", "Notes:Write");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("Permission \"Notes:Write\" is not of the form resource:action");
        assertThat(get(key, "/admin/v1/roles/broken").statusCode()).isEqualTo(404);

        CliFixture.Result unknownOrg = fx.run("admin", "roles", "set", "editor", "--org", "0190a0a0-0000-7000-8000-000000000000",
                "--permission", "notes:read");
        assertThat(unknownOrg.code()).isEqualTo(2);
        assertThat(unknownOrg.err()).isEqualTo("latchkey: no organization '0190a0a0-0000-7000-8000-000000000000' (give its id, its slug or its exact name)\n");

        assertThat(fx.run("admin", "roles", "delete", "editor").code()).isZero();
        assertThat(get(key, "/admin/v1/roles/editor").statusCode()).isEqualTo(404);
        assertThat(fx.run("admin", "roles", "delete", "editor").err()).isEqualTo("latchkey: No such role.\n");
    }
}
