package dev.latchkey.server.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first-party API's second step over real HTTP against a real server and PostgreSQL, with the
 * policy requiring a second factor: enrolment right after the first factor, then TOTP and recovery codes.
 */
class MfaApiTest {
    static TestServer ts;
    static final String PASSWORD = "correct horse battery staple";
    static final String[] CSRF = {"X-CSRF", "1"};

    @BeforeAll
    static void start() {
        ts = TestServer.start(Map.of("LATCHKEY_MFA_POLICY", "required", "LATCHKEY_LOCKOUT_THRESHOLD", "10"));
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    private static Http.Response mfa(Http h, String challenge, String factor, String code) {
        return h.postJson("/api/auth/mfa", "{\"challenge\":\"" + challenge + "\",\"factor\":\"" + factor + "\",\"code\":\"" + code + "\"}", CSRF);
    }

    private static Http.Response login(Http h, String email) {
        return h.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
    }

    @Test
    void enrolAtFirstSignInThenSignInWithTotpAndRecoveryCodes() {
        String email = "mfa-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http h = new Http(ts.base);
        // the policy requires a factor: sign-up creates the account and asks to enrol
        Http.Response up = h.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(up.status()).as(up.body()).isEqualTo(403);
        assertThat(up.code()).isEqualTo("mfa_enrolment_required");
        assertThat(up.json().get("enrolment_required").asBoolean()).isTrue();
        assertThat(up.json().get("factors").toString()).isEqualTo("[\"totp\"]");
        assertThat(up.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("__Secure-lk_mfa=").contains("HttpOnly", "SameSite=Strict",
                "Path=/api/auth"));
        String challenge = up.json().get("challenge").asText();
        Http.Response secret = h.postJson("/api/auth/mfa/enrol", "{\"challenge\":\"" + challenge + "\"}", CSRF);
        assertThat(secret.status()).as(secret.body()).isEqualTo(200);
        assertThat(secret.json().get("otpauth_uri").asText()).startsWith("otpauth://totp/");
        TotpCodes app = new TotpCodes(secret.json().get("secret").asText());

        Http.Response done = mfa(h, challenge, "totp", app.next());
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().get("access_token").asText()).isNotBlank();
        List<String> codes = new ArrayList<>();
        done.json().get("recovery_codes").forEach(c -> codes.add(c.asText()));
        assertThat(codes).hasSize(10);

        // a later sign-in: 401 with the challenge and both factors
        Http.Response step = login(h, email);
        assertThat(step.status()).as(step.body()).isEqualTo(401);
        JsonNode body = step.json();
        assertThat(body.get("code").asText()).isEqualTo("mfa_required");
        assertThat(body.get("mfa_required").asBoolean()).isTrue();
        assertThat(body.get("factors").toString()).isEqualTo("[\"recovery_code\",\"totp\"]");
        assertThat(body.get("expires_in").asInt()).isBetween(1, 300);
        assertThat(step.header("Content-Type")).startsWith("application/problem+json");

        // a wrong code: a clear error and a fresh challenge; the old one is spent
        Http.Response wrong = mfa(h, body.get("challenge").asText(), "totp", app.wrong());
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.code()).isEqualTo("mfa_code_invalid");
        String next = wrong.json().get("challenge").asText();
        assertThat(mfa(h, body.get("challenge").asText(), "totp", app.next()).code()).isEqualTo("mfa_challenge_invalid");
        // a spent challenge never reaches the factor, so the code it carried is still fresh for the live one
        Http.Response ok = mfa(h, next, "totp", app.last());
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);

        // the same code again in a new sign-in: replayed
        Http.Response again = login(h, email);
        Http.Response replayed = mfa(h, again.json().get("challenge").asText(), "totp", app.last());
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.code()).isEqualTo("mfa_code_replayed");
        assertThat(replayed.json().get("detail").asText()).contains("already used");

        // another browser (no binding cookie) cannot use this browser's challenge
        Http other = new Http(ts.base);
        Http.Response stolen = mfa(other, replayed.json().get("challenge").asText(), "recovery_code", codes.get(0));
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.code()).isEqualTo("mfa_challenge_invalid");

        // a recovery code works once, and the answer says how many are left
        Http.Response rec = mfa(h, replayed.json().get("challenge").asText(), "recovery_code", codes.get(0));
        assertThat(rec.status()).as(rec.body()).isEqualTo(200);
        assertThat(rec.json().get("recovery_codes_remaining").asInt()).isEqualTo(9);
        Http.Response reuse = mfa(h, login(h, email).json().get("challenge").asText(), "recovery_code", codes.get(0));
        assertThat(reuse.code()).isEqualTo("mfa_code_invalid");
    }

    @Test
    void badInputGetsSpecificErrors() {
        Http h = new Http(ts.base);
        assertThat(h.postJson("/api/auth/mfa", "{\"challenge\":\"x\",\"factor\":\"password\",\"code\":\"1\"}", CSRF).code())
                .isEqualTo("validation_failed");
        assertThat(h.postJson("/api/auth/mfa", "{\"challenge\":\"x\",\"factor\":\"totp\",\"code\":\"123456\"}", CSRF).code())
                .isEqualTo("mfa_challenge_invalid");
        assertThat(h.postJson("/api/auth/mfa", "{\"challenge\":\"x\",\"factor\":\"totp\",\"code\":\"123456\"}").code())
                .isEqualTo("csrf_failed");
        assertThat(h.postJson("/api/auth/mfa/enrol", "{\"challenge\":\"x\"}", CSRF).code()).isEqualTo("mfa_challenge_invalid");
    }
}
