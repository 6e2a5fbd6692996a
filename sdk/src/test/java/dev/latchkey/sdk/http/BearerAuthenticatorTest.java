package dev.latchkey.sdk.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.sdk.MutableClock;
import dev.latchkey.sdk.TestIssuer;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenVerifier;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
}
