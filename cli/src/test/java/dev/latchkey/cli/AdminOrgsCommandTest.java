package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.server.mail.Mailbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code latchkey admin orgs …}, {@code orgs members …}, {@code orgs audit}, {@code invitations …} and
 * {@code service-accounts api-keys …} on a real PostgreSQL: what a command does is what the running server's admin API
 * shows, and what the API refuses the command refuses with the same words (the problem document's {@code detail}).
 */
class AdminOrgsCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static CliFixture fx;
    static Mailbox smtp;
    static String base;
    static String key;

    @BeforeAll
    static void setUp() {
        smtp = Mailbox.open();
        fx = new CliFixture();
        fx.env.putAll(smtp.env());
        base = fx.startServer();
        key = fx.run("admin", "keys", "create", "--name", "orgs-test").out().strip();
    }

    @AfterAll
    static void tearDown() {
        fx.close();
        smtp.stop();
    }

    static HttpResponse<String> send(String method, String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** What the admin API's problem document says: its detail, or its title when that is all. */
    static String problem(String method, String path, String json) throws Exception {
        HttpResponse<String> r = send(method, path, json);
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        JsonNode p = JSON.readTree(r.body());
        return p.has("detail") ? p.get("detail").asText() : p.get("title").asText();
    }

    static CliFixture.Result ok(String... args) {
        CliFixture.Result r = fx.run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    static CliFixture.Result refused(String... args) {
        CliFixture.Result r = fx.run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        return r;
    }

    static String field(CliFixture.Result shown, String name) {
        return shown.out().replaceAll("(?s).*(?m)^" + name + " +(\\S+)$.*", "$1");
    }

    static String signUp() throws Exception {
        String email = "cli-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/auth/signup"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"a perfectly fine passphrase\"}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(201);
        return email;
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createShowListUpdateDelete() throws Exception {
        String slug = unique("acme");
        CliFixture.Result created = ok("admin", "orgs", "create", "Acme Corp", "--slug", slug, "--claims", "{\"plan\":\"pro\",\"seats\":5}");
        String id = field(created, "id");
        assertThat(created.out()).containsPattern("(?m)^slug +" + slug + "$").containsPattern("(?m)^claims +\\{\"plan\":\"pro\",\"seats\":5}$");
        JsonNode api = get("/admin/v1/orgs/" + id);
        assertThat(api.get("name").asText()).isEqualTo("Acme Corp");
        assertThat(api.get("slug").asText()).isEqualTo(slug);
        assertThat(api.get("claims").toString()).isEqualTo("{\"plan\":\"pro\",\"seats\":5}");

        CliFixture.Result shown = ok("admin", "orgs", "show", id);
        assertThat(shown.out()).contains("created_at  " + api.get("created_at").asText() + "\n")
                .isEqualTo(created.out().replaceAll("(?m)^created_at .*$", "created_at  " + api.get("created_at").asText()));
        assertThat(ok("admin", "orgs", "show", slug).out()).isEqualTo(shown.out());
        String generated = field(ok("admin", "orgs", "create", unique("Globex Inc")), "slug");
        assertThat(generated).startsWith("globex-inc-");

        // paged: one at a time, the hint names the next page's --after
        CliFixture.Result first = ok("admin", "orgs", "list", "--limit", "1");
        assertThat(first.out()).containsPattern("(?m)^ID +SLUG +CREATED +NAME$").endsWith("1 organization\n");
        assertThat(first.err()).matches("more: repeat with --after [0-9a-f-]{36}\n");
        String after = first.err().strip().substring("more: repeat with --after ".length());
        int total = get("/admin/v1/orgs").get("orgs").size();
        CliFixture.Result rest = ok("admin", "orgs", "list", "--after", after, "--limit", "1000");
        assertThat(rest.out()).doesNotContain(after + " ").endsWith((total - 1) + (total == 2 ? " organization\n" : " organizations\n"));
        assertThat(rest.err()).isEmpty();
        assertThat(first.out() + rest.out()).containsPattern("(?m)^" + id + " +" + slug + " +\\S+ +Acme Corp$");

        CliFixture.Result updated = ok("admin", "orgs", "update", slug, "--name", "Acme Corporation", "--claims", "{}");
        assertThat(updated.out()).contains("name        Acme Corporation\n").contains("claims      {}\n");
        assertThat(get("/admin/v1/orgs/" + id).get("name").asText()).isEqualTo("Acme Corporation");
        assertThat(get("/admin/v1/orgs/" + id).get("claims").toString()).isEqualTo("{}");
        assertThat(ok("admin", "orgs", "show", "Acme Corporation").out()).contains("id          " + id + "\n");

        // what the admin API refuses, the command refuses in the same words
        String apiDetail = problem("PATCH", "/admin/v1/orgs/" + id, "{\"slug\":\"" + generated + "\"}");
        assertThat(refused("admin", "orgs", "update", id, "--slug", generated).err()).isEqualTo("latchkey: " + apiDetail + "\n");
        String badSlug = problem("POST", "/admin/v1/orgs", "{\"name\":\"x\",\"slug\":\"Not A Slug\"}");
        assertThat(refused("admin", "orgs", "create", "x", "--slug", "Not A Slug").err()).isEqualTo("latchkey: " + badSlug + "\n");
        String badClaims = problem("POST", "/admin/v1/orgs", "{\"name\":\"x\",\"claims\":[1]}");
        assertThat(refused("admin", "orgs", "create", "x", "--claims", "[1]").err()).isEqualTo("latchkey: " + badClaims + "\n");
        assertThat(refused("admin", "orgs", "create", "x", "--claims", "{plan").err()).startsWith("latchkey: --claims is not JSON");
        assertThat(refused("admin", "orgs", "update", id).err()).isEqualTo("latchkey: give at least one of --name, --slug and --claims\n");
        assertThat(refused("admin", "orgs", "list", "--limit", "0").err()).isEqualTo("latchkey: --limit is 1 to 1000\n");
        assertThat(refused("admin", "orgs", "list", "--after", "x").err()).isEqualTo("latchkey: --after 'x' is not an organization id\n");

        assertThat(ok("admin", "orgs", "delete", slug).out()).isEqualTo("deleted organization " + id + " (" + slug + ")\n");
        assertThat(send("GET", "/admin/v1/orgs/" + id, null).statusCode()).isEqualTo(404);
        assertThat(refused("admin", "orgs", "show", slug).err())
                .isEqualTo("latchkey: no organization '" + slug + "' (give its id, its slug or its exact name)\n");
    }

    @Test
    void membersAndTheAuditTrail() throws Exception {
        String slug = unique("members");
        String id = field(ok("admin", "orgs", "create", "Members Co", "--slug", slug), "id");
        String alice = signUp();
        String bob = signUp();

        assertThat(ok("admin", "orgs", "members", "add", slug, alice, "--role", "editor", "--role", "viewer").out())
                .matches(alice + " \\([0-9a-f-]{36}\\) in " + slug + ": roles editor,viewer\n");
        ok("admin", "orgs", "members", "add", id, bob);
        JsonNode members = get("/admin/v1/orgs/" + id + "/members");
        assertThat(members.get("members")).hasSize(2);
        assertThat(members.toString()).contains("\"roles\":[\"editor\",\"viewer\"]").contains("\"roles\":[]");
        CliFixture.Result list = ok("admin", "orgs", "members", "list", slug);
        assertThat(list.out()).containsPattern("(?m)^[0-9a-f-]{36} +\\S+ +editor,viewer +" + alice + "$")
                .containsPattern("(?m)^[0-9a-f-]{36} +\\S+ +- +" + bob + "$").endsWith("2 members\n");
        CliFixture.Result page = ok("admin", "orgs", "members", "list", slug, "--limit", "1");
        assertThat(page.out()).endsWith("1 member\n");
        String next = page.err().strip().replace("more: repeat with --after ", "");
        assertThat(ok("admin", "orgs", "members", "list", slug, "--after", next).out()).doesNotContain(next).endsWith("1 member\n");

        ok("admin", "orgs", "members", "set-roles", slug, bob, "--role", "admin");
        assertThat(get("/admin/v1/orgs/" + id + "/members").toString()).contains("\"roles\":[\"admin\"]");
        String carol = signUp();
        assertThat(refused("admin", "orgs", "members", "set-roles", slug, carol, "--role", "admin").err())
                .isEqualTo("latchkey: " + carol + " is not a member of " + slug + " (`latchkey admin orgs members add` adds one)\n");
        assertThat(get("/admin/v1/orgs/" + id + "/members").get("members")).as("set-roles never adds").hasSize(2);
        String badRoles = problem("PUT", "/admin/v1/orgs/" + id + "/members/" + carol, "{\"roles\":[\"no spaces\"]}");
        assertThat(refused("admin", "orgs", "members", "add", slug, carol, "--role", "no spaces").err()).isEqualTo("latchkey: " + badRoles + "\n");
        assertThat(refused("admin", "orgs", "members", "add", slug, "nobody@example.test").err())
                .isEqualTo("latchkey: no user nobody@example.test (give a user id or e-mail address)\n");

        assertThat(ok("admin", "orgs", "members", "remove", slug, alice).out()).isEqualTo("removed " + alice + " from " + slug + "\n");
        assertThat(get("/admin/v1/orgs/" + id + "/members").get("members")).hasSize(1);
        assertThat(refused("admin", "orgs", "members", "remove", slug, alice).err()).isEqualTo("latchkey: The user is not a member.\n");

        // the audit trail, newest first, as the admin API pages it
        JsonNode events = get("/admin/v1/orgs/" + id + "/audit").get("events");
        assertThat(events).hasSize(5);
        CliFixture.Result audit = ok("admin", "orgs", "audit", slug);
        assertThat(audit.out()).endsWith("5 events\n");
        String[] lines = audit.out().split("\n");
        assertThat(lines[0]).matches("POSITION +AT +TYPE +USER +DETAIL");
        for (int i = 0; i < 5; i++) {
            JsonNode e = events.get(i);
            assertThat(lines[i + 1]).startsWith(e.get("id").asText() + " ").contains(" " + e.get("type").asText() + " ")
                    .endsWith(e.get("detail").isNull() ? "-" : e.get("detail").asText());
        }
        assertThat(lines[1]).contains(" membership_changed ").endsWith(" removed");
        assertThat(lines[5]).contains(" organization_created ").endsWith(" slug " + slug);
        CliFixture.Result two = ok("admin", "orgs", "audit", slug, "--limit", "2");
        assertThat(two.err()).isEqualTo("more: repeat with --after " + events.get(1).get("id").asText() + "\n");
        CliFixture.Result older = ok("admin", "orgs", "audit", slug, "--after", events.get(1).get("id").asText());
        assertThat(older.out().replaceAll(" +", " "))
                .isEqualTo(String.join("\n", lines[0], lines[3], lines[4], lines[5], "3 events\n").replaceAll(" +", " "));
        assertThat(refused("admin", "orgs", "audit", slug, "--after", "-3").err())
                .isEqualTo("latchkey: --after '-3' is not an event position (a positive number)\n");
    }

    @Test
    void invitations() throws Exception {
        String slug = unique("invitees");
        String id = field(ok("admin", "orgs", "create", "Invitees Ltd", "--slug", slug), "id");
        String email = "invited-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";

        CliFixture.Result created = ok("admin", "invitations", "create", email, "--org", slug, "--role", "editor");
        String inv = created.out().strip();
        assertThat(inv).matches("[0-9a-f-]{36}");
        assertThat(created.err()).startsWith("invited " + email + " to " + slug + " (roles editor); the link is mailed to them");
        Mailbox.Received mail = smtp.await(email, "Invitees Ltd");
        assertThat(mail.token()).isNotBlank();
        assertThat(created.out() + created.err()).doesNotContain(mail.token());
        JsonNode shown = get("/admin/v1/orgs/" + id + "/invitations/" + inv);
        assertThat(shown.get("status").asText()).isEqualTo("pending");
        assertThat(shown.get("roles").toString()).isEqualTo("[\"editor\"]");

        assertThat(ok("admin", "invitations", "list", "--org", id).out())
                .containsPattern("(?m)^" + inv + " +pending +\\S+ +editor +" + email + "$").endsWith("1 invitation\n");
        String pending = problem("POST", "/admin/v1/orgs/" + id + "/invitations", "{\"email\":\"" + email + "\"}");
        assertThat(refused("admin", "invitations", "create", email, "--org", slug).err()).isEqualTo("latchkey: " + pending + "\n");

        assertThat(ok("admin", "invitations", "revoke", "--org", slug, inv).out()).isEqualTo("revoked invitation " + inv + "\n");
        assertThat(get("/admin/v1/orgs/" + id + "/invitations/" + inv).get("status").asText()).isEqualTo("revoked");
        assertThat(ok("admin", "invitations", "list", "--org", slug).out()).containsPattern("(?m)^" + inv + " +revoked ");
        assertThat(refused("admin", "invitations", "revoke", "--org", slug, inv).err())
                .isEqualTo("latchkey: Only a pending invitation can be revoked; this one is revoked.\n");
        assertThat(refused("admin", "invitations", "revoke", "--org", slug, UUID.randomUUID().toString()).err())
                .isEqualTo("latchkey: No such invitation.\n");
    }

    @Test
    void serviceAccountApiKeys() throws Exception {
        String slug = unique("robots");
        String id = field(ok("admin", "orgs", "create", "Robots", "--slug", slug), "id");
        String otherOrg = field(ok("admin", "orgs", "create", "Others", "--slug", unique("others")), "id");
        String sa = ok("admin", "service-accounts", "create", "exporter", "--org", slug).out().split(" ")[0];

        CliFixture.Result created = ok("admin", "service-accounts", "api-keys", "create", sa, "--org", slug, "--name", "nightly",
                "--expires-in", "30");
        String text = created.out().strip();
        assertThat(text).matches("lk_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{43}");
        String keyId = created.err().replaceAll("(?s).*\\(.*id ([0-9a-f-]{36})\\).*", "$1");
        JsonNode api = get("/admin/v1/orgs/" + id + "/service-accounts/" + sa + "/api-keys");
        assertThat(api.toString()).contains("\"id\":\"" + keyId + "\"").contains("\"organization\":\"" + id + "\"").doesNotContain(text);

        CliFixture.Result list = ok("admin", "service-accounts", "api-keys", "list", sa, "--org", id);
        assertThat(list.out()).doesNotContain(text)
                .containsPattern("(?m)^" + keyId + " +" + text.split("_")[2] + " +active +.* +nightly$").endsWith("1 key\n");
        assertThat(refused("admin", "service-accounts", "api-keys", "list", sa, "--org", otherOrg).err())
                .isEqualTo("latchkey: No such service account.\n");

        assertThat(ok("admin", "service-accounts", "api-keys", "revoke", sa, keyId, "--org", slug).out()).isEqualTo("revoked API key " + keyId + "\n");
        assertThat(get("/admin/v1/orgs/" + id + "/service-accounts/" + sa + "/api-keys").toString().toLowerCase(java.util.Locale.ROOT))
                .contains("\"state\":\"revoked\"");
        String twice = problem("DELETE", "/admin/v1/orgs/" + id + "/service-accounts/" + sa + "/api-keys/" + keyId, null);
        assertThat(refused("admin", "service-accounts", "api-keys", "revoke", sa, keyId, "--org", slug).err()).isEqualTo("latchkey: " + twice + "\n");
        assertThat(refused("admin", "service-accounts", "api-keys", "revoke", sa, "nightly", "--org", slug).err())
                .startsWith("latchkey: 'nightly' is not a key id (see `latchkey admin service-accounts api-keys list");
    }
}
