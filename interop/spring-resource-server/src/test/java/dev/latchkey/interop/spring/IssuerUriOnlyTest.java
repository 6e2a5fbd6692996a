package dev.latchkey.interop.spring;

import static dev.latchkey.interop.spring.LatchkeyIssuer.get;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What Spring Boot 3.5 / Spring Security 6.5 does with nothing but {@code issuer-uri}: it refuses Latchkey's
 * RFC 9068 access tokens for their {@code typ: at+jwt} (RFC 9068 §2.1 requires it), and it would accept a
 * Latchkey ID token as an access token. Both are Spring's defaults (spring-security#10272, #13185), not a
 * Latchkey defect; {@link Rfc9068TokenType} is the fix on the Spring side. When a Spring upgrade changes
 * this, this test fails and docs/interop.md needs updating. A client registered with
 * {@code access_token_type: jwt} (an explicit, documented opt-in) gets tokens this configuration accepts.
 */
@SpringBootTest(classes = NotesApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IssuerUriOnlyTest {
    static Latchkey latchkey;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        latchkey = Latchkey.start();
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> latchkey.issuer);
    }

    @AfterAll
    static void stop() {
        latchkey.close();
    }

    @LocalServerPort
    int port;

    @Test
    void refusesRfc9068AccessTokensForTheirType() throws Exception {
        for (String token : new String[] {LatchkeyIssuer.clientCredentialsToken(latchkey), LatchkeyIssuer.userToken(latchkey)}) {
            LatchkeyIssuer.Answer a = get("http://localhost:" + port + "/notes", "Bearer " + token);
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.challenge()).contains("invalid_token").contains("JOSE header typ (type) at+jwt not allowed");
        }
    }

    @Test
    void acceptsTheTokensOfAClientRegisteredForTypJwt() throws Exception {
        // the explicit opt-in (access_token_type: jwt) for resource servers configured with issuer-uri alone
        LatchkeyIssuer.Answer a = get("http://localhost:" + port + "/notes", "Bearer " + LatchkeyIssuer.clientCredentialsToken(latchkey, "jwt"));
        assertThat(a.status()).as(a.challenge()).isEqualTo(200);
    }

    @Test
    void wouldTakeAnIdTokenForAnAccessToken() throws Exception {
        LatchkeyIssuer.Answer a = get("http://localhost:" + port + "/notes", "Bearer " + LatchkeyIssuer.idToken(latchkey));
        assertThat(a.status()).as(a.challenge()).isEqualTo(200);
    }
}
