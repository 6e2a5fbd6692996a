package dev.latchkey.sdk.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.sdk.Ed25519TestSigner;
import dev.latchkey.sdk.MutableClock;
import dev.latchkey.sdk.TestIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private TestIssuer issuer;
    private TokenVerifier verifier;

    @BeforeEach
    void start() {
        issuer = new TestIssuer(clock);
        verifier = verifier(b -> { });
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private TokenVerifier verifier(java.util.function.Consumer<TokenVerifier.Builder> edit) {
        TokenVerifier.Builder b = TokenVerifier.builder().issuer(issuer.issuer()).audience("notes-api").clock(clock);
        edit.accept(b);
        return b.build();
    }

    /** Every rejection names its reason and never echoes the token or its signature into logs. */
    private TokenRejectedException assertRejected(String token, RejectReason reason) {
        TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class, () -> verifier.verify(token));
        assertThat(e).as("token must be rejected with " + reason).isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(e.getMessage()).doesNotContain(token);
        String[] parts = token.split("\\.");
        for (String part : parts) {
            if (part.length() > 8) {
                assertThat(e.getMessage()).doesNotContain(part);
            }
        }
        return e;
    }

    private static String unsigned(String headerJson, String payloadJson, String signature) {
        return Base64URL.encode(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(payloadJson.getBytes(StandardCharsets.UTF_8)) + "." + signature;
    }

    @Test
    void acceptsTheServersAccessTokenAndExposesItsClaims() throws Exception {
        String token = issuer.token(c -> c.claim("tenant_tier", "gold").claim("seats", 12));

        VerifiedToken t = verifier.verify(token);

        assertThat(t.subject()).isEqualTo("0190f2a4-7b1c-7cc2-9a57-3d0f1e2a4b5c");
        assertThat(t.clientId()).isEqualTo("notes-web");
        assertThat(t.sessionId()).contains("sess-1");
        assertThat(t.organization()).contains("0190f2a4-0000-7000-8000-00000000a11c");
        assertThat(t.roles()).containsExactlyInAnyOrder("member", "editor");
        assertThat(t.permissions()).containsExactly("notes.export");
        assertThat(t.scopes()).containsExactlyInAnyOrder("openid", "notes:read", "notes:write");
        assertThat(t.securityVersion()).hasValue(3);
        assertThat(t.audience()).containsExactly("notes-api", "other-api");
        assertThat(t.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(t.claims().string("tenant_tier")).contains("gold");
        assertThat(t.claims().number("seats")).hasValue(12);
        assertThatThrownBy(() -> t.claims().number("tenant_tier")).isInstanceOf(IllegalStateException.class);
        assertThat(t.roles()).isUnmodifiable();
    }

    @Test
    void aUsersTokenIsAUsersAndAClientsOwnTokenIsAClientsFromTheClaimsAlone() throws Exception {
        VerifiedToken user = verifier.verify(issuer.token());
        assertThat(user.kind()).isEqualTo(PrincipalKind.USER);
        assertThat(user.isUser()).isTrue();
        assertThat(user.userId()).contains("0190f2a4-7b1c-7cc2-9a57-3d0f1e2a4b5c");
        assertThat(user.hasRole("editor")).isTrue();

        VerifiedToken machine = verifier.verify(issuer.token(c -> c.subject("reporting").claim("client_id", "reporting")
                .claim("sub_type", "client").claim("sid", null).claim("ver", null).claim("org", null).claim("roles", List.of("editor"))));
        assertThat(machine.kind()).isEqualTo(PrincipalKind.CLIENT);
        assertThat(machine.isClient()).isTrue();
        assertThat(machine.userId()).isEmpty();
        assertThat(machine.hasRole("editor")).as("roles are a user's").isFalse();
        assertThat(machine.toString()).startsWith("VerifiedToken[client sub=reporting");

        // sub_type marks a machine even with a sid; no sid means no user even without sub_type
        assertThat(verifier.verify(issuer.token(c -> c.claim("sub_type", "client"))).isClient()).isTrue();
        assertThat(verifier.verify(issuer.token(c -> c.claim("sid", null))).isClient()).isTrue();
        assertThat(verifier.verify(issuer.token(c -> c.claim("sub_type", "user"))).isClient()).isTrue();
    }

    @Test
    void acceptsApplicationAtJwtTypeAndAStringAudience() throws Exception {
        String token = TestIssuer.sign(issuer.header().type(new JOSEObjectType("application/AT+JWT")).build(),
                issuer.claims().audience("notes-api").build(), issuer.signingKey());

        assertThat(verifier.verify(token).audience()).containsExactly("notes-api");
    }

    @Test
    void refusesAlgNone() {
        String payload = issuer.claims().build().toString();
        assertRejected(unsigned("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", payload, ""), RejectReason.DISALLOWED_ALGORITHM);
        assertRejected(unsigned("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", payload, "AAAA"), RejectReason.DISALLOWED_ALGORITHM);
    }

    @Test
    void refusesHs256SignedWithThePublicKeyAlgorithmConfusion() throws Exception {
        ECKey pub = issuer.signingKey().toPublicJWK();
        JWTClaimsSet claims = issuer.claims().build();
        List<byte[]> secretsAnAttackerWouldTry = List.of(
                pub.toECPublicKey().getEncoded(),
                pub.toJSONString().getBytes(StandardCharsets.UTF_8),
                (pub.getX().toString() + pub.getY().toString()).getBytes(StandardCharsets.UTF_8));
        for (byte[] secret : secretsAnAttackerWouldTry) {
            for (JWSAlgorithm hs : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(hs).keyID("k1").type(new JOSEObjectType("at+jwt")).build(), claims);
                jwt.sign(new MACSigner(secret));
                assertRejected(jwt.serialize(), RejectReason.DISALLOWED_ALGORITHM);
            }
        }
    }

    @Test
    void refusesAnAlgorithmThatDoesNotFitThePublishedKey() throws Exception {
        RSAKey rsa = TestIssuer.newRsaKey("rsa-1", 2048);
        issuer.publish(rsa);
        // RS256 header naming the EC key's kid: the key type decides, not the header
        String rsSignedClaimingEcKid = TestIssuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(new JOSEObjectType("at+jwt")).build(),
                issuer.claims().build(), rsa);
        assertRejected(rsSignedClaimingEcKid, RejectReason.DISALLOWED_ALGORITHM);
        // ES384 / PS256 are not on the allow-list at all
        String es384 = unsigned("{\"alg\":\"ES384\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", issuer.claims().build().toString(), "AAAA");
        assertRejected(es384, RejectReason.DISALLOWED_ALGORITHM);
        String ps256 = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").type(new JOSEObjectType("at+jwt")).build(),
                issuer.claims().build(), rsa);
        assertRejected(ps256, RejectReason.DISALLOWED_ALGORITHM);
    }

    @Test
    void acceptsRs256OnLargeRsaKeysAndEdDsaOnEd25519() throws Exception {
        RSAKey rsa = TestIssuer.newRsaKey("rsa-2048", 2048);
        OctetKeyPair ed = Ed25519TestSigner.newKey("ed-1");
        issuer.publish(rsa);
        issuer.publish(ed);

        String rs = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-2048").type(new JOSEObjectType("at+jwt")).build(),
                issuer.claims().subject("rs-user").build(), rsa);
        String eddsa = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("ed-1").type(new JOSEObjectType("at+jwt")).build(),
                issuer.claims().subject("ed-user").build(), ed);

        assertThat(verifier.verify(rs).subject()).isEqualTo("rs-user");
        assertThat(verifier.verify(eddsa).subject()).isEqualTo("ed-user");
        String[] p = eddsa.split("\\.");
        String edTampered = p[0] + "." + Base64URL.encode(issuer.claims().subject("admin").build().toString()) + "." + p[2];
        assertRejected(edTampered, RejectReason.BAD_SIGNATURE);
    }

    @Test
    void refusesSmallRsaKeysAndKeysNotForSignatures() throws Exception {
        var gen = java.security.KeyPairGenerator.getInstance("RSA");
        gen.initialize(1024);
        RSAKey small = new RSAKey.Builder((java.security.interfaces.RSAPublicKey) gen.generateKeyPair().getPublic())
                .keyID("rsa-1024").keyUse(KeyUse.SIGNATURE).build();
        ECKey enc = new ECKey.Builder(TestIssuer.newEcKey("enc-1")).keyUse(KeyUse.ENCRYPTION).build();
        issuer.publish(small);
        issuer.publish(enc);

        assertRejected(unsigned("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"rsa-1024\"}", issuer.claims().build().toString(),
                Base64URL.encode(new byte[128]).toString()), RejectReason.DISALLOWED_ALGORITHM);
        assertRejected(TestIssuer.sign(issuer.header().keyID("enc-1").build(), issuer.claims().build(), enc),
                RejectReason.DISALLOWED_ALGORITHM);
    }

    @Test
    void refusesATokenSignedByAnotherIssuersKeyWithTheSameKid() {
        ECKey impostor = TestIssuer.newEcKey("k1");
        String forged = TestIssuer.sign(issuer.header().build(), issuer.claims().build(), impostor);

        assertRejected(forged, RejectReason.BAD_SIGNATURE);
    }

    @Test
    void refusesATamperedPayload() {
        String token = issuer.token();
        String[] p = token.split("\\.");
        String escalated = issuer.claims().claim("roles", List.of("admin")).build().toString();

        assertRejected(p[0] + "." + Base64URL.encode(escalated) + "." + p[2], RejectReason.BAD_SIGNATURE);
    }

    @Test
    void refusesHeadersThatBringTheirOwnKey() throws Exception {
        ECKey attacker = TestIssuer.newEcKey("k1");
        JWTClaimsSet claims = issuer.claims().build();
        assertRejected(TestIssuer.sign(issuer.header().jwk(attacker.toPublicJWK()).build(), claims, attacker), RejectReason.FORBIDDEN_HEADER);
        assertRejected(TestIssuer.sign(issuer.header().jwkURL(URI.create("https://evil.example/jwks.json")).build(), claims, attacker),
                RejectReason.FORBIDDEN_HEADER);
        assertRejected(TestIssuer.sign(issuer.header().x509CertURL(URI.create("https://evil.example/cert.pem")).build(), claims, attacker),
                RejectReason.FORBIDDEN_HEADER);
        assertRejected(TestIssuer.sign(issuer.header().x509CertChain(List.of(Base64.encode("not a cert"))).build(), claims, attacker),
                RejectReason.FORBIDDEN_HEADER);
        assertRejected(TestIssuer.sign(issuer.header().criticalParams(Set.of("exp")).build(), claims, issuer.signingKey()),
                RejectReason.FORBIDDEN_HEADER);
        assertThat(issuer.jwksRequests()).as("hostile headers never reach the key lookup").isZero();
    }

    @Test
    void refusesTokensThatAreNotAccessTokens() {
        JWTClaimsSet claims = issuer.claims().build();
        assertRejected(TestIssuer.sign(issuer.header().type(JOSEObjectType.JWT).build(), claims, issuer.signingKey()), RejectReason.WRONG_TYPE);
        assertRejected(TestIssuer.sign(issuer.header().type(null).build(), claims, issuer.signingKey()), RejectReason.WRONG_TYPE);
        assertRejected(TestIssuer.sign(issuer.header().type(new JOSEObjectType("id_token+jwt")).build(), claims, issuer.signingKey()),
                RejectReason.WRONG_TYPE);
    }

    @Test
    void anExpectedTypeReplacesAtJwtForJwtsThatAreNotAccessTokens() throws Exception {
        TokenVerifier assertions = verifier(b -> b.expectedType("JWT").clientIdRequired(false));
        JWTClaimsSet noClientId = issuer.claims().claim("client_id", null).claim("name", "Ada").build();
        String assertion = TestIssuer.sign(issuer.header().type(JOSEObjectType.JWT).build(), noClientId, issuer.signingKey());
        String typed = TestIssuer.sign(issuer.header().type(new JOSEObjectType("application/jwt")).build(), noClientId, issuer.signingKey());

        VerifiedToken t = assertions.verify(assertion);
        assertThat(t.clientId()).isEmpty();
        assertThat(t.claims().string("name")).contains("Ada");
        assertThat(assertions.verify(typed).subject()).isEqualTo(t.subject());

        // each verifier refuses the other kind: an access token is no assertion, and the default still wants at+jwt and client_id
        TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class, () -> assertions.verify(issuer.token()));
        assertThat(e.reason()).isEqualTo(RejectReason.WRONG_TYPE);
        assertRejected(assertion, RejectReason.WRONG_TYPE);
        String atJwtWithoutClientId = TestIssuer.sign(issuer.header().build(), noClientId, issuer.signingKey());
        assertRejected(atJwtWithoutClientId, RejectReason.MALFORMED);
        TokenVerifier typedButStrict = verifier(b -> b.expectedType("jwt"));
        e = catchThrowableOfType(TokenRejectedException.class, () -> typedButStrict.verify(assertion));
        assertThat(e.reason()).as("client_id stays required unless switched off").isEqualTo(RejectReason.MALFORMED);
    }

    @Test
    void checksExpiryWithTheAllowedSkew() throws Exception {
        String expiredRecently = issuer.token(c -> c.expirationTime(Date.from(clock.instant().minusSeconds(20))));
        String expiredLongAgo = issuer.token(c -> c.expirationTime(Date.from(clock.instant().minusSeconds(31))));
        String noExp = issuer.token(c -> c.expirationTime(null));

        assertThat(verifier.verify(expiredRecently)).isNotNull();
        assertRejected(expiredLongAgo, RejectReason.EXPIRED);
        assertRejected(noExp, RejectReason.MALFORMED);
    }

    @Test
    void refusesTokensFromTheFuture() throws Exception {
        assertRejected(issuer.token(c -> c.notBeforeTime(Date.from(clock.instant().plusSeconds(60)))), RejectReason.NOT_YET_VALID);
        assertRejected(issuer.token(c -> c.issueTime(Date.from(clock.instant().plusSeconds(60)))), RejectReason.NOT_YET_VALID);
        assertThat(verifier.verify(issuer.token(c -> c.notBeforeTime(Date.from(clock.instant().plusSeconds(10)))))).isNotNull();
    }

    @Test
    void checksIssuerExactlyAndAudience() {
        assertRejected(issuer.token(c -> c.issuer(issuer.issuer() + "/")), RejectReason.WRONG_ISSUER);
        assertRejected(issuer.token(c -> c.issuer("https://evil.example")), RejectReason.WRONG_ISSUER);
        assertRejected(issuer.token(c -> c.audience("billing-api")), RejectReason.WRONG_AUDIENCE);
        assertRejected(issuer.token(c -> c.audience(List.of())), RejectReason.MALFORMED);
    }

    @Test
    void requiresTheClaimsRfc9068RequiresAndTheirTypes() {
        assertRejected(issuer.token(c -> c.jwtID(null)), RejectReason.MALFORMED);
        assertRejected(issuer.token(c -> c.claim("client_id", null)), RejectReason.MALFORMED);
        assertRejected(issuer.token(c -> c.subject(null)), RejectReason.MALFORMED);
        assertRejected(issuer.token(c -> c.claim("roles", "admin")), RejectReason.MALFORMED);
        assertRejected(issuer.token(c -> c.claim("ver", "3")), RejectReason.MALFORMED);
        assertRejected("not-a-jwt", RejectReason.MALFORMED);
        assertRejected("a.b.c.d.e", RejectReason.MALFORMED);
    }

    @Test
    void unknownKidFloodRefetchesAtMostOncePerInterval() throws Exception {
        verifier.verify(issuer.token());
        assertThat(issuer.jwksRequests()).isEqualTo(1);
        assertThat(issuer.discoveryRequests()).isEqualTo(1);

        // inside the interval: no refetch at all
        flood(200);
        assertThat(issuer.jwksRequests()).isEqualTo(1);

        // after the interval: concurrent misses share exactly one fetch
        for (int round = 2; round <= 4; round++) {
            clock.advance(Duration.ofSeconds(31));
            flood(400);
            assertThat(issuer.jwksRequests()).as("round " + round).isEqualTo(round);
        }
        assertThat(issuer.discoveryRequests()).as("discovery is cached").isEqualTo(1);
    }

    private void flood(int tokens) throws InterruptedException {
        ECKey attacker = TestIssuer.newEcKey("attacker");
        JWTClaimsSet claims = issuer.claims().build();
        Set<RejectReason> reasons = ConcurrentHashMap.newKeySet();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < tokens; i++) {
                String token = TestIssuer.sign(issuer.header().keyID("unknown-" + i).build(), claims, attacker);
                pool.submit(() -> {
                    try {
                        verifier.verify(token);
                    } catch (TokenRejectedException e) {
                        reasons.add(e.reason());
                    }
                });
            }
        }
        assertThat(reasons).containsExactly(RejectReason.UNKNOWN_KEY);
    }

    @Test
    void rotatedKeyIsAcceptedAfterOneRefetch() throws Exception {
        verifier.verify(issuer.token());
        ECKey next = TestIssuer.newEcKey("k2");
        issuer.publish(next);
        String signedWithNext = TestIssuer.sign(issuer.header().keyID("k2").build(), issuer.claims().build(), next);

        clock.advance(Duration.ofSeconds(31));
        assertThat(verifier.verify(signedWithNext).subject()).isNotNull();
        assertThat(issuer.jwksRequests()).isEqualTo(2);
        assertThat(verifier.verify(TestIssuer.sign(issuer.header().keyID("k2").build(), issuer.claims().build(), next))).isNotNull();
        assertThat(issuer.jwksRequests()).isEqualTo(2);
    }

    @Test
    void retiredKeyStopsVerifyingOnceTheSetIsOlderThanMaxAge() throws Exception {
        verifier = verifier(b -> b.cacheSize(0));
        verifier.verify(issuer.token());
        issuer.unpublish("k1");

        clock.advance(Duration.ofMinutes(4));
        assertThat(verifier.verify(issuer.token())).as("within max age the cached set still has k1").isNotNull();
        clock.advance(Duration.ofMinutes(7));
        assertRejected(issuer.token(), RejectReason.UNKNOWN_KEY);
    }

    @Test
    void aNewKidShortlyAfterAFetchWaitsForTheInterval() throws Exception {
        verifier.verify(issuer.token());
        ECKey next = TestIssuer.newEcKey("k2");
        issuer.publish(next);
        String token = TestIssuer.sign(issuer.header().keyID("k2").build(), issuer.claims().build(), next);

        assertRejected(token, RejectReason.UNKNOWN_KEY);
        clock.advance(Duration.ofSeconds(30));
        assertThat(verifier.verify(token)).isNotNull();
    }

    @Test
    void cachedTokensAreReturnedWithoutReverifyingButStillExpireOnTime() throws Exception {
        String token = issuer.token(c -> c.expirationTime(Date.from(clock.instant().plusSeconds(60))));
        VerifiedToken first = verifier.verify(token);

        assertThat(verifier.verify(token)).isSameAs(first);
        clock.advance(Duration.ofSeconds(60 + 30));
        assertThat(verifier.verify(token)).isSameAs(first);
        clock.advance(Duration.ofSeconds(1));
        assertRejected(token, RejectReason.EXPIRED);

        TokenVerifier uncached = verifier(b -> b.cacheSize(0));
        String other = issuer.token();
        assertThat(uncached.verify(other)).isNotSameAs(uncached.verify(other)).isEqualTo(uncached.verify(other));
    }

    @Test
    void theCacheStaysBounded() throws Exception {
        verifier = verifier(b -> b.cacheSize(50));
        for (int i = 0; i < 500; i++) {
            verifier.verify(issuer.token());
        }
        assertThat(verifier.cachedTokens()).isBetween(1, 50);
    }

    @Test
    void revocationIsCheckedOnEveryCallIncludingCacheHits() throws Exception {
        Set<String> revokedSessions = ConcurrentHashMap.newKeySet();
        verifier = verifier(b -> b.revocationCheck(t -> t.sessionId().map(revokedSessions::contains).orElse(false)));
        String token = issuer.token();
        assertThat(verifier.verify(token)).isNotNull();

        revokedSessions.add("sess-1");

        assertRejected(token, RejectReason.REVOKED);
    }

    @Test
    void discoveryMustNameTheConfiguredIssuer() {
        issuer.discoveryNamesIssuer("https://evil.example");

        assertRejected(issuer.token(), RejectReason.KEYS_UNAVAILABLE);
    }

    @Test
    void anUnreachableJwksIsTransientAndRetriedAtTheBoundedRate() throws Exception {
        issuer.jwksStatus(503);
        String token = issuer.token();
        TokenRejectedException e = assertRejected(token, RejectReason.KEYS_UNAVAILABLE);
        assertThat(e.reason().isTransient()).isTrue();
        assertRejected(token, RejectReason.KEYS_UNAVAILABLE);
        assertThat(issuer.jwksRequests()).isEqualTo(1);

        issuer.jwksStatus(200);
        clock.advance(Duration.ofSeconds(30));
        assertThat(verifier.verify(token)).isNotNull();
        assertThat(issuer.jwksRequests()).isEqualTo(2);
    }

    @Test
    void aFailedRefreshKeepsTheLastGoodKeys() throws Exception {
        verifier = verifier(b -> b.cacheSize(0));
        verifier.verify(issuer.token());
        issuer.jwksStatus(500);
        clock.advance(Duration.ofMinutes(11));

        assertThat(verifier.verify(issuer.token())).isNotNull();
        assertThat(issuer.jwksRequests()).isEqualTo(2);
    }

    @Test
    void theBuilderReportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> TokenVerifier.builder().issuer("not a url").clockSkew(Duration.ofHours(1)).cacheSize(-1)
                .expectedType().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expectedType")
                .hasMessageContaining("issuer")
                .hasMessageContaining("audience")
                .hasMessageContaining("clockSkew")
                .hasMessageContaining("cacheSize");
    }
}
