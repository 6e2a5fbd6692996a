package dev.latchkey.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.server.mail.Mailbox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Invitations end to end: admin API, the mail over real SMTP (GreenMail), accepting through the first-party API. */
class InvitationsTest {
    static final String ADMIN = "lka_invitations-test-admin-key-0123456789abcdef";
    static final String PASSWORD = "invitation passphrase";
    static Mailbox smtp;
    static TestServer ts;

    @BeforeAll
    static void start() {
        smtp = Mailbox.open();
        Map<String, String> env = new HashMap<>(smtp.env());
        env.put("LATCHKEY_ADMIN_API_KEY", ADMIN);
        ts = TestServer.start(env);
    }

    @AfterAll
    static void stop() {
        if (ts != null) {
            ts.close();
        }
        smtp.stop();
    }

    static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    static Http.Response admin(String method, String path, String json) {
        Http h = new Http(ts.base);
        return switch (method) {
            case "POST" -> h.postJson(path, json, "Authorization", "Bearer " + ADMIN);
            case "GET" -> h.get(path, "Authorization", "Bearer " + ADMIN);
            case "DELETE" -> h.delete(path, "Authorization", "Bearer " + ADMIN);
            default -> throw new IllegalArgumentException(method);
        };
    }

    static String org(String name) {
        Http.Response o = admin("POST", "/admin/v1/orgs", "{\"name\":\"" + name + "\"}");
        assertThat(o.status()).as(o.body()).isEqualTo(201);
        return o.json().get("id").asText();
    }

    static Http.Response invite(String org, String email, String rolesJson) {
        return admin("POST", "/admin/v1/orgs/" + org + "/invitations", "{\"email\":\"" + email + "\",\"roles\":" + rolesJson + "}");
    }

    /** Signs up (a fresh session with its refresh cookie); returns the client and its access token. */
    record Signed(Http http, String token) {
        Http.Response accept(String invitation) {
            return http.postJson("/api/auth/invitations/accept", "{\"token\":\"" + invitation + "\"}", "Authorization", "Bearer " + token);
        }
    }

    static Signed signUp(String email) {
        Http h = new Http(ts.base);
        Http.Response r = h.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return new Signed(h, r.json().get("access_token").asText());
    }

    @Test
    void anInvitedUserAcceptsTheMailedTokenOnceAndTheirNextTokenCarriesTheOrganization() throws Exception {
        String org = org("Invitees Inc");
        String email = email("invitee");
        Signed user = signUp(email);

        Http.Response created = invite(org, email.toUpperCase(), "[\"editor\",\"notes:reader\"]");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("status").asText()).isEqualTo("pending");
        assertThat(created.json().get("email").asText()).isEqualTo(email);
        assertThat(created.body()).doesNotContain("token");
        String invId = created.json().get("id").asText();
        assertThat(created.header("Location")).isEqualTo("/admin/v1/orgs/" + org + "/invitations/" + invId);

        Mailbox.Received mail = smtp.await(email, "Invitees Inc");
        assertThat(mail.link("/invitations/accept")).startsWith(ts.base + "/invitations/accept?token=");
        String token = mail.token();
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(mail.text()).contains("7 days");

        Http.Response again = invite(org, email, "[]");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("invitation_pending");

        String tampered = (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1);
        Http.Response bad = user.accept(tampered);
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("invitation_invalid");

        Http.Response ok = user.accept(token);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("org_id").asText()).isEqualTo(org);

        Http.Response reuse = user.accept(token);
        assertThat(reuse.status()).isEqualTo(409);
        assertThat(reuse.code()).isEqualTo("invitation_used");

        Http.Response refreshed = user.http().post("/api/auth/refresh", null, null, "X-CSRF", "1");
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        var claims = SignedJWT.parse(refreshed.json().get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("org")).isEqualTo(org);
        assertThat(claims.getStringListClaim("roles")).containsExactly("editor", "notes:reader");

        Http.Response members = admin("GET", "/admin/v1/orgs/" + org + "/members", null);
        assertThat(members.json().get("members")).hasSize(1);
        Http.Response read = admin("GET", "/admin/v1/orgs/" + org + "/invitations/" + invId, null);
        assertThat(read.json().get("status").asText()).isEqualTo("accepted");
        assertThat(read.json().get("accepted_by").asText()).isNotBlank();

        Http.Response member = invite(org, email, "[]");
        assertThat(member.status()).as(member.body()).isEqualTo(409);
        assertThat(member.code()).isEqualTo("already_member");
        Http.Response revokeAccepted = admin("DELETE", "/admin/v1/orgs/" + org + "/invitations/" + invId, null);
        assertThat(revokeAccepted.status()).isEqualTo(409);
        assertThat(revokeAccepted.code()).isEqualTo("invitation_not_pending");
    }

    @Test
    void revokedAndWrongAddressInvitationsAreRefusedWithClearErrors() {
        String org = org("Refusals Ltd");
        String invited = email("invited");
        Http.Response created = invite(org, invited, "[\"viewer\"]");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = smtp.await(invited, "Refusals Ltd").token();

        Signed other = signUp(email("other"));
        Http.Response wrong = other.accept(token);
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(403);
        assertThat(wrong.code()).isEqualTo("invitation_wrong_email");

        String invId = created.json().get("id").asText();
        assertThat(admin("DELETE", "/admin/v1/orgs/" + org + "/invitations/" + invId, null).status()).isEqualTo(204);
        Signed owner = signUp(invited);
        Http.Response revoked = owner.accept(token);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(410);
        assertThat(revoked.code()).isEqualTo("invitation_revoked");
        assertThat(admin("GET", "/admin/v1/orgs/" + org + "/members", null).json().get("members")).isEmpty();

        Http.Response noBearer = new Http(ts.base).postJson("/api/auth/invitations/accept", "{\"token\":\"" + token + "\"}");
        assertThat(noBearer.status()).isEqualTo(401);
        Http.Response badEmail = invite(org, "not-an-address", "[]");
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.code()).isEqualTo("invalid_email");
        Http.Response badRoles = invite(org, email("r"), "[\"has space\"]");
        assertThat(badRoles.status()).isEqualTo(400);
        assertThat(badRoles.code()).isEqualTo("validation_failed");
        assertThat(invite(UUID.randomUUID().toString(), email("n"), "[]").status()).isEqualTo(404);
        assertThat(new Http(ts.base).postJson("/admin/v1/orgs/" + org + "/invitations", "{\"email\":\"" + email("x") + "\"}",
                "Authorization", "Bearer wrong").status()).isEqualTo(401);
    }

    @Test
    void anInvitationWhoseMailCannotBeQueuedIsNotLeftPending() {
        String org = org("Outbox Trouble");
        String email = "outbox-fails-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        var jdbc = ts.backend().database().jdbc();
        // the outbox refuses mail to this kind of address (a trigger raising in the INSERT): a real failing enqueue
        jdbc.update("""
                CREATE OR REPLACE FUNCTION test_outbox_refuses() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.to_address LIKE 'outbox-fails-%' THEN RAISE EXCEPTION 'outbox refuses'; END IF;
                    RETURN NEW;
                END; $$""");
        jdbc.update("CREATE TRIGGER test_outbox_refuses BEFORE INSERT ON mail_outbox FOR EACH ROW EXECUTE FUNCTION test_outbox_refuses()");
        try {
            Http.Response failed = invite(org, email, "[\"viewer\"]");
            assertThat(failed.status()).as(failed.body()).isEqualTo(500);
            assertThat(failed.code()).isEqualTo("internal_error");
            assertThat(failed.body()).doesNotContain("outbox refuses");
        } finally {
            jdbc.update("DROP TRIGGER test_outbox_refuses ON mail_outbox");
        }
        Http.Response listed = admin("GET", "/admin/v1/orgs/" + org + "/invitations", null);
        assertThat(listed.json().get("invitations")).as("no invitation without its mail").isEmpty();

        Http.Response retried = invite(org, email, "[\"viewer\"]");
        assertThat(retried.status()).as("nothing pending blocks the retry: " + retried.body()).isEqualTo(201);
        assertThat(smtp.await(email, "Outbox Trouble").token()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(admin("GET", "/admin/v1/orgs/" + org + "/invitations", null).json().get("invitations")).hasSize(1);
    }

    @Test
    void listingPagesByIdAndRevokingIsVisible() {
        String org = org("Paging GmbH");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Http.Response c = invite(org, email("page" + i), "[]");
            assertThat(c.status()).as(c.body()).isEqualTo(201);
            ids.add(c.json().get("id").asText());
        }
        Http.Response first = admin("GET", "/admin/v1/orgs/" + org + "/invitations?limit=2", null);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("invitations")).hasSize(2);
        String next = first.json().get("next").asText();
        Http.Response second = admin("GET", "/admin/v1/orgs/" + org + "/invitations?limit=2&after=" + next, null);
        assertThat(second.json().get("invitations")).hasSize(1);
        assertThat(second.json().get("next").isNull()).isTrue();
        List<String> seen = new ArrayList<>();
        first.json().get("invitations").forEach(n -> seen.add(n.get("id").asText()));
        second.json().get("invitations").forEach(n -> seen.add(n.get("id").asText()));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(admin("GET", "/admin/v1/orgs/" + org + "/invitations?limit=0", null).status()).isEqualTo(400);
        assertThat(admin("DELETE", "/admin/v1/orgs/" + org + "/invitations/" + ids.get(0), null).status()).isEqualTo(204);
        assertThat(admin("GET", "/admin/v1/orgs/" + org + "/invitations/" + ids.get(0), null).json().get("status").asText()).isEqualTo("revoked");
        assertThat(admin("DELETE", "/admin/v1/orgs/" + org + "/invitations/" + UUID.randomUUID(), null).status()).isEqualTo(404);
    }

    @Test
    void twentyConcurrentAcceptsThroughHttpMakeOneMembership() throws Exception {
        String org = org("Race Co");
        String email = email("racer");
        Signed user = signUp(email);
        assertThat(invite(org, email, "[\"editor\"]").status()).isEqualTo(201);
        String token = smtp.await(email, "Race Co").token();

        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(pool.submit(() -> {
                go.await();
                return user.accept(token);
            }));
        }
        go.countDown();
        int accepted = 0;
        for (Future<Http.Response> f : all) {
            Http.Response r = f.get();
            if (r.status() == 200) {
                accepted++;
            } else {
                assertThat(r.status()).as(r.body()).isEqualTo(409);
                assertThat(r.code()).isIn("invitation_used", "already_member");
            }
        }
        pool.shutdown();
        assertThat(accepted).isEqualTo(1);
        assertThat(admin("GET", "/admin/v1/orgs/" + org + "/members", null).json().get("members")).hasSize(1);
    }
}
