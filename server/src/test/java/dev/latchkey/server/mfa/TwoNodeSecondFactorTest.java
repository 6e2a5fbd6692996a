package dev.latchkey.server.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.testkit.FaultProxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The second step of a sign-in on two server nodes sharing one PostgreSQL: a challenge issued by one node is
 * completed on the other, an authenticator code or recovery code used on one node is refused on the other, and a
 * completion whose answer is lost on the way back cannot be replayed (the challenge was spent) while a fresh
 * sign-in still works.
 */
class TwoNodeSecondFactorTest {
    static final String PASSWORD = "two nodes one database";
    static final String[] CSRF = {"X-CSRF", "1"};

    @Test
    void challengesCodesAndRecoveryCodesAreSingleUseAcrossNodesAndALostAnswerIsNotReplayable() throws Exception {
        try (TestServer a = TestServer.start(Map.of()); TestServer b = TestServer.secondNode(a, Map.of());
             FaultProxy proxy = FaultProxy.start()) {
            URI bUri = URI.create(b.base);
            proxy.target(bUri.getHost(), bUri.getPort());
            String email = "nodes-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
            Http onA = new Http(a.base);
            Http.Response up = onA.postJson("/api/auth/signup", credentials(email));
            assertThat(up.status()).as(up.body()).isEqualTo(201);
            String[] auth = {"Authorization", "Bearer " + up.json().get("access_token").asText(), "X-CSRF", "1"};
            Http.Response begin = onA.postJson("/api/auth/mfa/totp", "{}", auth);
            TotpCodes app = new TotpCodes(begin.json().get("secret").asText());
            Http.Response confirmed = onA.postJson("/api/auth/mfa/totp/confirm", "{\"code\":\"" + app.next() + "\"}", auth);
            assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
            List<String> recovery = new ArrayList<>();
            confirmed.json().get("recovery_codes").forEach(c -> recovery.add(c.asText()));

            // a challenge from A, completed on B (the same browser: its binding cookie goes along)
            Http.Response step = onA.postJson("/api/auth/login", credentials(email));
            assertThat(step.code()).isEqualTo("mfa_required");
            Http onB = new Http(b.base);
            onB.cookies.putAll(onA.cookies);
            String code = app.next();
            Http.Response done = mfa(onB, step.json().get("challenge").asText(), "totp", code);
            assertThat(done.status()).as(done.body()).isEqualTo(200);

            // the same code in a new sign-in on A: the step was used on B
            Http.Response again = onA.postJson("/api/auth/login", credentials(email));
            Http.Response replayed = mfa(onA, again.json().get("challenge").asText(), "totp", code);
            assertThat(replayed.code()).isEqualTo("mfa_code_replayed");

            // a recovery code used on A is gone for B
            assertThat(mfa(onA, replayed.json().get("challenge").asText(), "recovery_code", recovery.get(0)).status()).isEqualTo(200);
            Http.Response onBAgain = onB.postJson("/api/auth/login", credentials(email));
            assertThat(mfa(onB, onBAgain.json().get("challenge").asText(), "recovery_code", recovery.get(0)).code())
                    .isEqualTo("mfa_code_invalid");

            // through a proxy in front of B that loses the answer of the completion: B signed in, the client never
            // heard; repeating the request (here on A) finds the challenge spent, and a fresh sign-in works
            Http viaProxy = new Http(proxy.url());
            Http.Response lostStep = viaProxy.postJson("/api/auth/login", credentials(email));
            assertThat(lostStep.code()).isEqualTo("mfa_required");
            String lostChallenge = lostStep.json().get("challenge").asText();
            proxy.onNext("POST /api/auth/mfa HTTP", 1, new FaultProxy.DropAnswer());
            boolean lost;
            try {
                lost = mfa(viaProxy, lostChallenge, "recovery_code", recovery.get(1)).status() != 200;
            } catch (AssertionError connectionLost) {     // how Http reports a request that got no answer
                assertThat(connectionLost).hasMessageContaining("request failed");
                lost = true;
            }
            assertThat(lost).as("the proxy dropped the answer").isTrue();
            assertThat(proxy.applied()).isEqualTo(1);
            Http retryOnA = new Http(a.base);
            retryOnA.cookies.putAll(viaProxy.cookies);
            Http.Response retried = mfa(retryOnA, lostChallenge, "recovery_code", recovery.get(2));
            assertThat(retried.status()).isEqualTo(400);
            assertThat(retried.code()).isEqualTo("mfa_challenge_invalid");
            Http.Response fresh = retryOnA.postJson("/api/auth/login", credentials(email));
            Http.Response in = mfa(retryOnA, fresh.json().get("challenge").asText(), "recovery_code", recovery.get(2));
            assertThat(in.status()).as(in.body()).isEqualTo(200);
            assertThat(in.json().get("recovery_codes_remaining").asInt()).as("codes 0 and 1 were used (1 by the lost answer), 2 now")
                    .isEqualTo(7);
        }
    }

    private static String credentials(String email) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
    }

    private static Http.Response mfa(Http h, String challenge, String factor, String code) {
        return h.postJson("/api/auth/mfa", "{\"challenge\":\"" + challenge + "\",\"factor\":\"" + factor + "\",\"code\":\"" + code + "\"}",
                CSRF);
    }
}
