package dev.latchkey.interop.spring;

import static dev.latchkey.interop.spring.LatchkeyIssuer.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.token.AccessTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Boot 3.5 / Spring Security 6.5 as a resource server of a real Latchkey: {@code issuer-uri} plus the
 * {@link Rfc9068TokenType} bean, nothing else. Latchkey's access tokens (client credentials and a user's
 * sign-in) are accepted; missing, garbage, tampered, expired, ID and other issuers' tokens get 401.
 */
@SpringBootTest(classes = {NotesApplication.class, Rfc9068TokenType.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringResourceServerTest {
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

    LatchkeyIssuer.Answer notes(String authorization) throws Exception {
        return LatchkeyIssuer.get("http://localhost:" + port + "/notes", authorization);
    }

    LatchkeyIssuer.Answer bearer(String token) throws Exception {
        return notes("Bearer " + token);
    }

    @Test
    void aClientCredentialsTokenIsAccepted() throws Exception {
        String token = LatchkeyIssuer.clientCredentialsToken(latchkey);
        assertThat(SignedJWT.parse(token).getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        LatchkeyIssuer.Answer a = bearer(token);
        assertThat(a.status()).as(a.body() + " " + a.challenge()).isEqualTo(200);
        JsonNode body = JSON.readTree(a.body());
        assertThat(body.get("sub").asText()).startsWith("svc-");
        assertThat(body.get("scope").asText()).isEqualTo("notes:read");
    }

    @Test
    void aSignedInUsersTokenIsAccepted() throws Exception {
        String token = LatchkeyIssuer.userToken(latchkey);
        LatchkeyIssuer.Answer a = bearer(token);
        assertThat(a.status()).as(a.body() + " " + a.challenge()).isEqualTo(200);
        JsonNode body = JSON.readTree(a.body());
        assertThat(body.get("sub").asText()).isEqualTo(SignedJWT.parse(token).getJWTClaimsSet().getSubject());
        assertThat(body.get("client_id").asText()).isEqualTo("latchkey");
    }

    @Test
    void missingGarbageAndTamperedTokensAre401() throws Exception {
        LatchkeyIssuer.Answer none = notes(null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.challenge()).isEqualTo("Bearer");
        LatchkeyIssuer.Answer garbage = bearer("not.a.jwt");
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(garbage.challenge()).contains("invalid_token");
        String token = LatchkeyIssuer.clientCredentialsToken(latchkey);
        String[] parts = token.split("\\.");
        String otherSubject = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new JWTClaimsSet.Builder(SignedJWT.parse(token).getJWTClaimsSet()).subject("someone-else").build().toString()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(bearer(parts[0] + "." + otherSubject + "." + parts[2]).status()).as("payload swapped under the signature").isEqualTo(401);
    }

    /** Signed with the issuer's real key, but expired five minutes ago (beyond Spring's 60 s skew). */
    @Test
    void anExpiredTokenIs401() throws Exception {
        Instant issued = Instant.now().minus(Duration.ofMinutes(10));
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(latchkey.issuer).subject(UUID.randomUUID().toString())
                .audience(latchkey.issuer).issueTime(Date.from(issued)).expirationTime(Date.from(issued.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString()).claim("client_id", "latchkey").build();
        LatchkeyIssuer.Answer a = bearer(latchkey.server.backend().accessTokens().sign(claims, AccessTokens.AT_JWT));
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.challenge()).contains("invalid_token").contains("expired");

        // the same claims, unexpired, pass: the refusal was for the expiry alone
        JWTClaimsSet fresh = new JWTClaimsSet.Builder(claims).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5)))).build();
        assertThat(bearer(latchkey.server.backend().accessTokens().sign(fresh, AccessTokens.AT_JWT)).status()).isEqualTo(200);
    }

    @Test
    void anIdTokenIsNotAnAccessToken() throws Exception {
        LatchkeyIssuer.Answer a = bearer(LatchkeyIssuer.idToken(latchkey));
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.challenge()).contains("invalid_token");
    }

    @Test
    void anotherIssuersTokensAre401() throws Exception {
        try (Latchkey other = Latchkey.start()) {
            String foreign = LatchkeyIssuer.clientCredentialsToken(other);
            LatchkeyIssuer.Answer a = bearer(foreign);
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.challenge()).contains("invalid_token");

            // even claiming our iss: the other issuer's key is not in our JWKS
            JWTClaimsSet claimsOurIss = new JWTClaimsSet.Builder(SignedJWT.parse(foreign).getJWTClaimsSet()).issuer(latchkey.issuer).build();
            assertThat(bearer(other.server.backend().accessTokens().sign(claimsOurIss, AccessTokens.AT_JWT)).status()).isEqualTo(401);
        }
    }
}
