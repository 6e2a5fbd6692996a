package dev.latchkey.sdk.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.sdk.MutableClock;
import dev.latchkey.sdk.TestIssuer;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BearerAuthenticatorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final TestIssuer issuer = new TestIssuer(clock);
    private final BearerAuthenticator authenticator = new BearerAuthenticator(
            TokenVerifier.builder().issuer(issuer.issuer()).audience("notes-api").clock(clock).build());

    @AfterEach
    void stop() {
        issuer.close();
    }

    @Test
    void readsTheBearerSchemeCaseInsensitively() {
        String token = issuer.token();
        assertThat(authenticator.authenticate(List.of("Bearer " + token), null)).isInstanceOf(Authentication.Authenticated.class);
        assertThat(authenticator.authenticate(List.of("bearer  " + token), "page=2")).isInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void noCredentialsOrAnotherSchemeIsAnonymous() {
        assertThat(authenticator.authenticate(List.of(), null)).isInstanceOf(Authentication.Anonymous.class);
        assertThat(authenticator.authenticate(List.of("Basic dXNlcjpwYXNz"), null)).isInstanceOf(Authentication.Anonymous.class);
    }

    @Test
    void refusesTokensOutsideTheAuthorizationHeader() {
        String token = issuer.token();
        assertThat(authenticator.authenticate(List.of(), "access_token=" + token)).isInstanceOf(Authentication.InvalidRequest.class);
        assertThat(authenticator.authenticate(List.of("Bearer " + token), "a=1&access_token=" + token))
                .isInstanceOf(Authentication.InvalidRequest.class);
        assertThat(authenticator.authenticate(List.of(), "my_access_token=1")).isInstanceOf(Authentication.Anonymous.class);
    }

    @Test
    void refusesTwoAuthorizationHeaders() {
        String token = issuer.token();
        assertThat(authenticator.authenticate(List.of("Bearer " + token, "Bearer " + token), null))
                .isInstanceOf(Authentication.InvalidRequest.class);
    }

    @Test
    void aMalformedCredentialIsAnInvalidRequestAndABadTokenIsRejected() {
        assertThat(authenticator.authenticate(List.of("Bearer "), null)).isInstanceOf(Authentication.InvalidRequest.class);
        assertThat(authenticator.authenticate(List.of("Bearer a b"), null)).isInstanceOf(Authentication.InvalidRequest.class);
        assertThat(authenticator.authenticate(List.of("Bearer abc\"def"), null)).isInstanceOf(Authentication.InvalidRequest.class);
        assertThat(authenticator.authenticate(List.of("Bearer abc.def.ghi"), null))
                .isEqualTo(new Authentication.Rejected(RejectReason.MALFORMED));
    }

    @Test
    void b64tokenGrammar() {
        assertThat(BearerAuthenticator.isB64Token("abc-._~+/==")).isTrue();
        assertThat(BearerAuthenticator.isB64Token("==")).isFalse();
        assertThat(BearerAuthenticator.isB64Token("ab=c")).isFalse();
        assertThat(BearerAuthenticator.isB64Token("")).isFalse();
    }

    /** A header value with CR/LF, or 8,000 characters long, reaches the log escaped and capped: no forged line, no flood. */
    @Test
    void hostileHeaderValuesReachTheLogEscapedAndCapped() {
        String forged = "\r\n2026-03-01 10:00:00.000 INFO  [main] d.l.s.h.BearerAuthenticator - bearer token accepted for sub admin";
        List<Map<String, Object>> headers = List.of(
                header("ES256", "at+jwt", "k1" + forged),
                header("ES256", "at+jwt", "k".repeat(8000)),
                header("ES256" + forged, "at+jwt", "k1"),
                header("ES256", "at+jwt" + forged, "k1"),
                header("ES256", "at+jwt", "k\u2028\u202e\u0085" + "x".repeat(7000) + forged));
        Logger logger = (Logger) LoggerFactory.getLogger(BearerAuthenticator.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            for (Map<String, Object> h : headers) {
                String token = Base64URL.encode(JSONObjectUtils.toJSONString(h).getBytes(StandardCharsets.UTF_8)) + "."
                        + Base64URL.encode(issuer.claims().build().toString().getBytes(StandardCharsets.UTF_8)) + ".AAAA";
                assertThat(authenticator.authenticate(List.of("Bearer " + token), null)).isInstanceOf(Authentication.Rejected.class);
            }
        } finally {
            logger.detachAppender(captured);
        }
        assertThat(captured.list).hasSize(headers.size()).allSatisfy(e -> {
            String line = e.getFormattedMessage();
            assertThat(line).as(line).doesNotContain("\r", "\n", "\u2028", "\u202e", "\u0085").hasSizeLessThan(400);
        });
        assertThat(captured.list.get(0).getFormattedMessage()).contains("UNKNOWN_KEY", "kid \"k1\\r\\n2026-03-01");
        assertThat(captured.list.get(1).getFormattedMessage()).contains("UNKNOWN_KEY", "…(+7936 chars)");
        assertThat(captured.list.get(2).getFormattedMessage()).contains("DISALLOWED_ALGORITHM", "alg \"ES256\\r\\n");
        assertThat(captured.list.get(3).getFormattedMessage()).contains("WRONG_TYPE", "typ \"at+jwt\\r\\n");
        assertThat(captured.list.get(4).getFormattedMessage()).contains("\\u2028\\u202e\\u0085");
    }

    private static Map<String, Object> header(String alg, String typ, String kid) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", alg);
        h.put("typ", typ);
        h.put("kid", kid);
        return h;
    }
}
