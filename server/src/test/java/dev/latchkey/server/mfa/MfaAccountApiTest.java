package dev.latchkey.server.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A signed-in user's factors over the first-party API, and sensitive changes needing a recent second factor. */
class MfaAccountApiTest {
    static TestServer ts;
    static final String PASSWORD = "correct horse battery staple";

    @BeforeAll
    static void start() {
        ts = TestServer.start();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    @Test
    void enrolOverTheApiThenSensitiveChangesNeedARecentSecondFactor() {
        String email = "acct-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http h = new Http(ts.base);
        Http.Response up = h.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(up.status()).isEqualTo(201);
        String[] auth = {"Authorization", "Bearer " + up.json().get("access_token").asText(), "X-CSRF", "1"};
        Http.Response factors = h.get("/api/auth/mfa/factors", auth);
        assertThat(factors.json().get("totp").asBoolean()).isFalse();
        assertThat(factors.json().get("recovery_codes_remaining").asInt()).isZero();
        // no factor yet: enrolling needs none
        Http.Response begin = h.postJson("/api/auth/mfa/totp", "{}", auth);
        assertThat(begin.status()).as(begin.body()).isEqualTo(200);
        TotpCodes app = new TotpCodes(begin.json().get("secret").asText());
        assertThat(h.postJson("/api/auth/mfa/totp/confirm", "{\"code\":\"" + app.wrong() + "\"}", auth).code()).isEqualTo("mfa_code_invalid");
        Http.Response confirmed = h.postJson("/api/auth/mfa/totp/confirm", "{\"code\":\"" + app.next() + "\"}", auth);
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.json().get("recovery_codes").size()).isEqualTo(10);

        // this session signed in with a password only: changes now need a second factor first
        Http.Response pw = h.postJson("/api/auth/password", "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"another long passphrase\"}", auth);
        assertThat(pw.status()).isEqualTo(403);
        assertThat(pw.code()).isEqualTo("recent_mfa_required");
        assertThat(h.delete("/api/auth/mfa/totp", auth).code()).isEqualTo("recent_mfa_required");
        assertThat(h.postJson("/api/auth/mfa/totp", "{}", auth).code()).isEqualTo("recent_mfa_required");

        // a fresh sign-in with the app's code may
        Http.Response step = h.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        Http.Response in = h.postJson("/api/auth/mfa", "{\"challenge\":\"" + step.json().get("challenge").asText()
                + "\",\"factor\":\"totp\",\"code\":\"" + app.next() + "\"}", "X-CSRF", "1");
        assertThat(in.status()).as(in.body()).isEqualTo(200);
        String[] fresh = {"Authorization", "Bearer " + in.json().get("access_token").asText(), "X-CSRF", "1"};
        assertThat(h.postJson("/api/auth/mfa/recovery-codes", "{}", fresh).json().get("recovery_codes").size()).isEqualTo(10);
        assertThat(h.delete("/api/auth/mfa/totp", fresh).status()).isEqualTo(204);
        Http.Response after = h.get("/api/auth/mfa/factors", fresh);
        assertThat(after.json().get("totp").asBoolean()).isFalse();
        assertThat(after.json().get("recovery_codes_remaining").asInt()).isZero();
    }
}
