package dev.latchkey.server.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code email.verification=required} through the first-party API: no tokens before the address is verified. */
class RequiredVerificationApiTest {
    static Mailbox smtp;
    static TestServer ts;

    @BeforeAll
    static void start() {
        smtp = Mailbox.open();
        Map<String, String> env = new HashMap<>(smtp.env());
        env.put("LATCHKEY_EMAIL_VERIFICATION", "required");
        ts = TestServer.start(env);
    }

    @AfterAll
    static void stop() {
        ts.close();
        smtp.close();
    }

    @Test
    void signUpAndSignInWaitForTheVerificationThenWork() {
        String email = "req-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String creds = "{\"email\":\"" + email + "\",\"password\":\"a perfectly fine passphrase\"}";
        Http h = new Http(ts.base);
        Http.Response signup = h.postJson("/api/auth/signup", creds);
        assertThat(signup.status()).as(signup.body()).isEqualTo(202);
        assertThat(signup.json().get("email_verification_required").asBoolean()).isTrue();
        assertThat(signup.json().has("access_token")).isFalse();
        assertThat(h.cookies.keySet()).noneMatch(k -> k.contains("lk_refresh"));

        Http.Response login = h.postJson("/api/auth/login", creds);
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.code()).isEqualTo("email_not_verified");
        Http.Response wrong = h.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"not the password\"}");
        assertThat(wrong.code()).as("a wrong password reveals nothing about verification").isEqualTo("invalid_credentials");

        // the refused sign-in mailed a fresh link; the newest works
        Mailbox.Received second = smtp.await(email, "Confirm your e-mail address", 1);
        assertThat(new Http(ts.base).postJson("/api/auth/email/verify", "{\"token\":\"" + second.token() + "\"}").status()).isEqualTo(200);
        Http.Response ok = h.postJson("/api/auth/login", creds);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(h.get("/api/auth/me", "Authorization", "Bearer " + ok.json().get("access_token").asText()).json()
                .get("email_verified").asBoolean()).isTrue();
    }
}
