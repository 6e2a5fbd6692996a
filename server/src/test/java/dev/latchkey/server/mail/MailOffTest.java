package dev.latchkey.server.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code latchkey server} without SMTP: the features that need mail are off, and the pages and API say so. */
class MailOffTest {
    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = TestServer.start();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    @Test
    void thePagesSayMailIsNotAvailableAndOfferNoMailFeatures() {
        Http.Response login = new Http(ts.base).get("/login");
        assertThat(login.body()).contains("id=\"no-mail\"").doesNotContain("id=\"forgot\"").doesNotContain("id=\"magic-link\"");
        Http.Response forgot = new Http(ts.base).get("/forgot-password");
        assertThat(forgot.status()).isEqualTo(503);
        assertThat(forgot.header("Content-Type")).startsWith("text/html");
        assertThat(forgot.body()).contains("not set up to send mail");
        assertThat(new Http(ts.base).get("/login/email").status()).isEqualTo(503);
    }

    @Test
    void theApiAnswersMailUnavailable() {
        Http.Response r = new Http(ts.base).postJson("/api/auth/password/forgot", "{\"email\":\"a@example.test\"}");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.code()).isEqualTo("mail_unavailable");
        assertThat(new Http(ts.base).postJson("/api/auth/magic-link", "{\"email\":\"a@example.test\"}").code()).isEqualTo("mail_unavailable");
    }

    @Test
    void signUpStillSignsInAndTheAddressStaysUnverified() {
        Http h = new Http(ts.base);
        String email = "nomail-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response s = h.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"a perfectly fine passphrase\"}");
        assertThat(s.status()).isEqualTo(201);
        Http.Response me = h.get("/api/auth/me", "Authorization", "Bearer " + s.json().get("access_token").asText());
        assertThat(me.json().get("email_verified").asBoolean()).isFalse();
    }

    @Test
    void theDevMailboxDoesNotExistOutsideDevMode() {
        assertThat(new Http(ts.base).get("/dev/mail").status()).isEqualTo(404);
    }
}
