package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.audit.AuditType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The first-party /api/auth API over real HTTP against a real server and PostgreSQL. */
class FirstPartyApiTest {
    static TestServer ts;
    static final String PASSWORD = "correct horse battery staple";

    @BeforeAll
    static void start() {
        ts = TestServer.start(Map.of("LATCHKEY_LOCKOUT_THRESHOLD", "3", "LATCHKEY_LOCKOUT_BASE", "30s"));
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static String newEmail() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    static Http signedUp(String email) {
        Http h = new Http(ts.base);
        Http.Response r = h.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Ada\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return h;
    }

    static String accessToken(Http.Response r) {
        return r.json().get("access_token").asText();
    }

    @Test
    void signupReturnsTokensInOAuthShapeAndARestrictedRefreshCookie() throws Exception {
        Http h = new Http(ts.base);
        Http.Response r = h.postJson("/api/auth/signup", "{\"email\":\"" + newEmail() + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(r.json().get("expires_in").asInt()).isEqualTo(300);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        String cookie = r.headers("Set-Cookie").stream().filter(c -> c.startsWith("__Secure-lk_refresh=")).findFirst().orElseThrow();
        assertThat(cookie).contains("Path=/api/auth", "HttpOnly", "Secure", "SameSite=Strict", "Max-Age=");

        // the access token is an RFC 9068 JWT that anyone can verify from the JWKS
        SignedJWT jwt = SignedJWT.parse(accessToken(r));
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        JWKSet jwks = JWKSet.parse(h.get("/.well-known/jwks.json").body());
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(ts.base);
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(ts.base);
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("latchkey");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("sid")).isNotBlank();
        assertThat(jwt.getJWTClaimsSet().getLongClaim("ver")).isEqualTo(1L);
        // how the session was authenticated (RFC 9068 §2.2.1), as an ID token would say it
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("amr")).containsExactly("pwd");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("acr")).isEqualTo("urn:latchkey:acr:1fa");
        assertThat(jwt.getJWTClaimsSet().getLongClaim("auth_time")).isCloseTo(jwt.getJWTClaimsSet().getIssueTime().getTime() / 1000,
                org.assertj.core.data.Offset.offset(5L));
        assertThat(UUID.fromString(jwt.getJWTClaimsSet().getSubject()).version()).isEqualTo(7);
        assertThat(accessToken(r).length()).isLessThan(1024);
    }

    @Test
    void signupProblems() {
        String email = newEmail();
        signedUp(email);
        Http h = new Http(ts.base);
        Http.Response dup = h.postJson("/api/auth/signup", "{\"email\":\"" + email.toUpperCase() + " \",\"password\":\"" + PASSWORD + "\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.code()).isEqualTo("email_taken");
        Http.Response weak = h.postJson("/api/auth/signup", "{\"email\":\"" + newEmail() + "\",\"password\":\"password\"}");
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.code()).isEqualTo("weak_password");
        assertThat(weak.json().get("detail").asText()).isNotBlank();
        Http.Response shortPw = h.postJson("/api/auth/signup", "{\"email\":\"" + newEmail() + "\",\"password\":\"zq7#k\"}");
        assertThat(shortPw.code()).isEqualTo("weak_password");
        Http.Response badEmail = h.postJson("/api/auth/signup", "{\"email\":\"not-an-email\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.code()).isEqualTo("invalid_email");
        // a 64-character password is accepted and not truncated (a 63-char prefix does not work)
        String longPw = "a-very-long-passphrase-that-keeps-going-and-going-and-going-64ch";
        assertThat(longPw).hasSize(64);
        String e2 = newEmail();
        assertThat(h.postJson("/api/auth/signup", "{\"email\":\"" + e2 + "\",\"password\":\"" + longPw + "\"}").status()).isEqualTo(201);
        assertThat(h.postJson("/api/auth/login", "{\"email\":\"" + e2 + "\",\"password\":\"" + longPw.substring(0, 63) + "\"}").status()).isEqualTo(401);
        assertThat(h.postJson("/api/auth/login", "{\"email\":\"" + e2 + "\",\"password\":\"" + longPw + "\"}").status()).isEqualTo(200);
    }

    @Test
    void unknownEmailAndWrongPasswordLookTheSame() {
        String email = newEmail();
        signedUp(email);
        Http h = new Http(ts.base);
        Http.Response wrong = h.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"nope-nope-nope\"}");
        Http.Response unknown = h.postJson("/api/auth/login", "{\"email\":\"" + newEmail() + "\",\"password\":\"nope-nope-nope\"}");
        assertThat(wrong.status()).isEqualTo(401).isEqualTo(unknown.status());
        assertThat(wrong.code()).isEqualTo("invalid_credentials").isEqualTo(unknown.code());
        assertThat(wrong.json().get("title")).isEqualTo(unknown.json().get("title"));
        assertThat(wrong.json().has("detail")).isEqualTo(unknown.json().has("detail"));
    }

    @Test
    void lockoutAfterRepeatedFailuresForExistingAndUnknownAccountsAlike() {
        String existing = newEmail();
        signedUp(existing);
        for (String email : new String[] {existing, newEmail()}) {
            Http h = new Http(ts.base);
            for (int i = 0; i < 3; i++) {
                assertThat(h.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"wrong-password\"}").status()).isEqualTo(401);
            }
            Http.Response locked = h.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
            assertThat(locked.status()).isEqualTo(429);
            assertThat(locked.code()).isEqualTo("login_locked");
            assertThat(Integer.parseInt(locked.header("Retry-After"))).isBetween(1, 31);
        }
        assertThat(ts.backend().audit().recent(null, AuditType.LOGIN_LOCKED, 100)).isNotEmpty();
    }

    @Test
    void refreshRotatesTheCookieAndALateOlderTokenIsStaleNotReuse() {
        Http h = signedUp(newEmail());
        String first = h.cookies.get("__Secure-lk_refresh");
        Http.Response r = h.post("/api/auth/refresh", null, null, "X-CSRF", "1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String second = h.cookies.get("__Secure-lk_refresh");
        assertThat(second).isNotEqualTo(first);
        assertThat(accessToken(r)).isNotBlank();

        // the previous cookie within the grace window: same successor, nothing revoked
        Http other = new Http(ts.base);
        other.cookies.put("__Secure-lk_refresh", first);
        Http.Response replay = other.post("/api/auth/refresh", "application/json", "{}", "X-CSRF", "1");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(other.cookies.get("__Secure-lk_refresh")).isEqualTo(second);

        // rotate once more: the first token is now two generations old, but it was replaced inside the
        // window (a late duplicate, not theft): 409 refresh_token_stale, no cookie set or cleared, nothing revoked
        h.post("/api/auth/refresh", null, null, "X-CSRF", "1");
        Http late = new Http(ts.base);
        late.cookies.put("__Secure-lk_refresh", first);
        Http.Response stale = late.post("/api/auth/refresh", null, null, "X-CSRF", "1");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.code()).isEqualTo("refresh_token_stale");
        assertThat(stale.headers("Set-Cookie")).isEmpty();
        Http.Response after = h.post("/api/auth/refresh", null, null, "X-CSRF", "1");
        assertThat(after.status()).as(after.body()).isEqualTo(200);
        // (a replay after the window is a reuse that ends the session: LateRefreshTest)
    }

    @Test
    void refreshNeedsCsrfProofAndACookie() {
        Http h = signedUp(newEmail());
        Http.Response noCsrf = h.post("/api/auth/refresh", null, null);
        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noCsrf.code()).isEqualTo("csrf_failed");
        Http.Response crossSite = h.post("/api/auth/refresh", null, null, "Origin", "https://evil.example");
        assertThat(crossSite.status()).isEqualTo(403);
        Http.Response sameOrigin = h.post("/api/auth/refresh", null, null, "Origin", ts.base);
        assertThat(sameOrigin.status()).isEqualTo(200);
        Http.Response noCookie = new Http(ts.base).post("/api/auth/refresh", null, null, "X-CSRF", "1");
        assertThat(noCookie.status()).isEqualTo(401);
        assertThat(noCookie.code()).isEqualTo("refresh_token_missing");
        Http garbage = new Http(ts.base);
        garbage.cookies.put("__Secure-lk_refresh", "garbage");
        assertThat(garbage.post("/api/auth/refresh", null, null, "X-CSRF", "1").code()).isEqualTo("refresh_token_invalid");
    }

    @Test
    void meSessionsAndLogout() {
        String email = newEmail();
        Http phone = signedUp(email);
        Http laptop = new Http(ts.base);
        String laptopToken = accessToken(laptop.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}"));
        String phoneToken = accessToken(phone.post("/api/auth/refresh", null, null, "X-CSRF", "1"));

        Http.Response me = laptop.get("/api/auth/me", "Authorization", "Bearer " + laptopToken);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("email").asText()).isEqualTo(email);
        assertThat(me.json().get("name").asText()).isEqualTo("Ada");

        Http.Response list = laptop.get("/api/auth/sessions", "Authorization", "Bearer " + laptopToken);
        assertThat(list.json().get("sessions")).hasSize(2);
        long current = 0;
        for (var s : list.json().get("sessions")) {
            current += s.get("current").asBoolean() ? 1 : 0;
        }
        assertThat(current).isEqualTo(1);

        // sign out other devices: the phone's tokens die at once, the laptop's survive
        Http.Response missing = laptop.delete("/api/auth/sessions", "Authorization", "Bearer " + laptopToken);
        assertThat(missing.status()).isEqualTo(400);
        Http.Response others = laptop.delete("/api/auth/sessions?others=true", "Authorization", "Bearer " + laptopToken);
        assertThat(others.json().get("revoked").asInt()).isEqualTo(1);
        Http.Response phoneMe = phone.get("/api/auth/me", "Authorization", "Bearer " + phoneToken);
        assertThat(phoneMe.status()).isEqualTo(401);
        assertThat(phoneMe.code()).isEqualTo("session_revoked");
        assertThat(phoneMe.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(phone.post("/api/auth/refresh", null, null, "X-CSRF", "1").code()).isEqualTo("session_revoked");
        assertThat(laptop.get("/api/auth/me", "Authorization", "Bearer " + laptopToken).status()).isEqualTo(200);

        // logout ends the laptop's session too
        Http.Response out = laptop.post("/api/auth/logout", null, null, "X-CSRF", "1");
        assertThat(out.status()).isEqualTo(204);
        assertThat(laptop.cookies).doesNotContainKey("__Secure-lk_refresh");
        assertThat(laptop.get("/api/auth/me", "Authorization", "Bearer " + laptopToken).code()).isEqualTo("session_revoked");
    }

    @Test
    void deleteOneSessionAndNotSomeoneElses() {
        Http a = signedUp(newEmail());
        String aToken = accessToken(a.post("/api/auth/refresh", null, null, "X-CSRF", "1"));
        Http b = signedUp(newEmail());
        String bToken = accessToken(b.post("/api/auth/refresh", null, null, "X-CSRF", "1"));
        String bSession = b.get("/api/auth/me", "Authorization", "Bearer " + bToken).json().get("session_id").asText();
        assertThat(a.delete("/api/auth/sessions/" + bSession, "Authorization", "Bearer " + aToken).status()).isEqualTo(404);
        assertThat(a.delete("/api/auth/sessions/not-a-uuid", "Authorization", "Bearer " + aToken).status()).isEqualTo(404);
        assertThat(b.delete("/api/auth/sessions/" + bSession, "Authorization", "Bearer " + bToken).status()).isEqualTo(204);
        assertThat(b.get("/api/auth/me", "Authorization", "Bearer " + bToken).status()).isEqualTo(401);
    }

    @Test
    void passwordChangeEndsEverySessionAndContinuesInANewOne() {
        String email = newEmail();
        Http h = signedUp(email);
        Http other = new Http(ts.base);
        other.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        String token = accessToken(h.post("/api/auth/refresh", null, null, "X-CSRF", "1"));
        Http.Response wrongCurrent = h.postJson("/api/auth/password", "{\"current_password\":\"bad\",\"new_password\":\"another long passphrase\"}",
                "Authorization", "Bearer " + token);
        assertThat(wrongCurrent.status()).isEqualTo(401);
        Http.Response changed = h.postJson("/api/auth/password",
                "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"another long passphrase\"}", "Authorization", "Bearer " + token);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        String fresh = accessToken(changed);
        assertThat(h.get("/api/auth/me", "Authorization", "Bearer " + token).code()).isEqualTo("session_revoked");
        assertThat(h.get("/api/auth/me", "Authorization", "Bearer " + fresh).status()).isEqualTo(200);
        assertThat(other.post("/api/auth/refresh", null, null, "X-CSRF", "1").code()).isEqualTo("session_revoked");
        assertThat(h.post("/api/auth/refresh", null, null, "X-CSRF", "1").status()).isEqualTo(200);
        assertThat(new Http(ts.base).postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}").status())
                .isEqualTo(401);
    }

    @Test
    void disablingAUserEndsRefreshAndAccessAtOnce() {
        String email = newEmail();
        Http h = signedUp(email);
        String token = accessToken(h.post("/api/auth/refresh", null, null, "X-CSRF", "1"));
        UUID id = ts.backend().users().findByEmail(dev.latchkey.core.account.EmailAddress.parse(email)).orElseThrow().id();
        ts.backend().accounts().setStatus(id, UserStatus.DISABLED, RequestContext.SYSTEM);
        Http.Response refresh = h.post("/api/auth/refresh", null, null, "X-CSRF", "1");
        assertThat(refresh.status()).isEqualTo(401);
        assertThat(refresh.code()).isEqualTo("session_revoked");
        assertThat(h.get("/api/auth/me", "Authorization", "Bearer " + token).status()).isEqualTo(401);
        Http.Response login = new Http(ts.base).postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.code()).isEqualTo("account_disabled");
    }

    @Test
    void badInputGetsSpecificProblemsNever500() {
        Http h = new Http(ts.base);
        record Case(String contentType, String body, int status, String code) {
        }
        Case[] cases = {
            new Case("application/json", "{bad", 400, "malformed_request"),
            new Case("application/json", "", 400, "malformed_request"),
            new Case("application/json", "[]", 400, "validation_failed"),
            new Case("application/json", "\"text\"", 400, "validation_failed"),
            new Case("application/json", "{\"email\":\"a@b.c\"}", 400, "validation_failed"),
            new Case("application/json", "{\"password\":\"x\"}", 400, "validation_failed"),
            new Case("application/json", "{\"email\":\"a@b.c\",\"password\":\"x\",\"admin\":true}", 400, "validation_failed"),
            new Case("application/json", "{\"email\":\"a@b.c\",\"password\":12345678}", 400, "validation_failed"),
            new Case("application/json", "{\"email\":[\"a@b.c\"],\"password\":\"x\"}", 400, "validation_failed"),
            new Case("application/json", "{\"email\":\"a@b.c\",\"email\":\"d@e.f\",\"password\":\"x\"}", 400, "malformed_request"),
            new Case("application/json", "{\"email\":\"a@b.c\",\"password\":\"x\"} trailing", 400, "malformed_request"),
            new Case("text/plain", "{\"email\":\"a@b.c\",\"password\":\"x\"}", 415, "unsupported_media_type"),
            new Case(null, null, 415, "unsupported_media_type"),
            new Case("application/x-www-form-urlencoded", "email=a&password=b", 415, "unsupported_media_type"),
            new Case("application/json", "{\"email\":\"a@b.c\",\"password\":\"" + "x".repeat(70_000) + "\"}", 413, "payload_too_large"),
            new Case("application/json", "{\"email\":\"a@b.c\",\"password\":\"" + "x".repeat(2000) + "\"}", 400, "validation_failed"),
        };
        for (Case c : cases) {
            Http.Response r = h.post("/api/auth/login", c.contentType(), c.body());
            assertThat(r.status()).as(c + " -> " + r.body()).isEqualTo(c.status());
            assertThat(r.header("Content-Type")).as(c.toString()).startsWith("application/problem+json");
            assertThat(r.code()).as(c.toString()).isEqualTo(c.code());
            assertThat(r.json().get("trace_id").asText()).hasSize(32);
            if (c.status() == 413) {      // the unread rest of the body ends the connection, and the client is told
                assertThat(r.header("Connection")).as(c.toString()).isEqualToIgnoringCase("close");
            }
        }
        assertThat(h.get("/api/auth/nope").status()).isEqualTo(404);
        assertThat(h.get("/api/auth/nope").code()).isEqualTo("not_found");
        assertThat(h.get("/api/auth/login").status()).isIn(404, 405);
        assertThat(h.get("/api/auth/me", "Authorization", "Basic abc").code()).isEqualTo("invalid_token");
        assertThat(h.get("/api/auth/me", "Authorization", "Bearer not.a.jwt").code()).isEqualTo("invalid_token");
        Http.Response none = h.get("/api/auth/me");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"latchkey\"");
    }

    @Test
    void traceContextIsContinuedAndReturned() {
        Http h = new Http(ts.base);
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Http.Response r = h.postJson("/api/auth/login", "{\"email\":\"x@y.z\",\"password\":\"wrong-password\"}",
                "traceparent", "00-" + trace + "-00f067aa0ba902b7-01");
        assertThat(r.header("X-Trace-Id")).isEqualTo(trace);
        assertThat(r.header("traceresponse")).startsWith("00-" + trace + "-").endsWith("-01");
        assertThat(r.json().get("trace_id").asText()).isEqualTo(trace);
        Http.Response fresh = h.get("/health/live", "traceparent", "garbage");
        assertThat(fresh.header("X-Trace-Id")).hasSize(32).isNotEqualTo(trace);
        assertThat(ts.backend().audit().recent(null, AuditType.LOGIN_FAILURE, 50))
                .anyMatch(e -> trace.equals(e.traceId()));
    }
}
