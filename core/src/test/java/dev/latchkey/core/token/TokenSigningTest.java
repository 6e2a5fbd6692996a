package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.key.KeyRing;
import dev.latchkey.core.key.MemorySigningKeyStore;
import dev.latchkey.core.key.SigningAlgorithm;
import dev.latchkey.core.oauth.token.IdTokenHints;
import dev.latchkey.core.oauth.token.IdTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Access tokens (ES256, user or client), ID tokens (RS256 or ES256) and the keys behind them. */
class TokenSigningTest {
    static final String ISS = "https://issuer.test";
    static final KeyRing.KeyPolicy POLICY = new KeyRing.KeyPolicy(Duration.ofDays(30), Duration.ofHours(1), Duration.ofMinutes(30));

    TestClock clock;
    MemorySigningKeyStore store;
    KeyRing keys;
    AccessTokens tokens;
    AccessTokenVerifier verifier;

    @BeforeEach
    void setUp() {
        clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        store = new MemorySigningKeyStore();
        keys = new KeyRing(store, MasterKey.generate(), clock, POLICY);
        keys.start();
        tokens = new AccessTokens(keys, clock, ISS, Duration.ofMinutes(5));
        verifier = new AccessTokenVerifier(keys, clock, ISS);
    }

    static User user() {
        Instant t = Instant.parse("2029-01-01T00:00:00Z");
        return new User(UUID.randomUUID(), EmailAddress.parse("ida@example.test"), true, "Ida", null, UserStatus.ACTIVE, 1, t, t);
    }

    @Test
    void theFirstStartCreatesOneKeyPerAlgorithmPublishedWithoutPrivateParts() throws Exception {
        assertThat(store.all()).extracting(k -> k.algorithm()).containsExactlyInAnyOrder("ES256", "RS256");
        JWKSet jwks = JWKSet.parse(keys.jwksJson());
        assertThat(jwks.getKeys()).hasSize(2).allSatisfy(k -> {
            assertThat(k.isPrivate()).isFalse();
            assertThat(k.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
            assertThat(k.getKeyID()).isNotBlank();
        });
        assertThat(jwks.getKeys()).extracting(JWK::getAlgorithm).containsExactlyInAnyOrder(JWSAlgorithm.ES256, JWSAlgorithm.RS256);
        RSAKey rsa = (RSAKey) jwks.getKeys().stream().filter(k -> k instanceof RSAKey).findFirst().orElseThrow();
        assertThat(rsa.size()).isEqualTo(2048);
        // a restart generates nothing
        keys.start();
        assertThat(store.all()).hasSize(2);
    }

    @Test
    void eachAlgorithmRotatesOnItsOwnAndOnlyWhenDue() throws Exception {
        String es = keys.active(SigningAlgorithm.ES256).kid();
        String rs = keys.active(SigningAlgorithm.RS256).kid();
        assertThat(keys.rotateIfDue()).isFalse();
        assertThat(store.all()).hasSize(2);
        clock.advance(Duration.ofDays(31));
        assertThat(keys.rotateIfDue()).isTrue();
        assertThat(store.all()).extracting(k -> k.algorithm()).containsExactlyInAnyOrder("ES256", "RS256", "ES256", "RS256");
        // pre-published: both new keys are in the JWKS, the old ones still sign
        assertThat(JWKSet.parse(keys.jwksJson()).getKeys()).hasSize(4);
        assertThat(keys.active(SigningAlgorithm.ES256).kid()).isEqualTo(es);
        assertThat(keys.active(SigningAlgorithm.RS256).kid()).isEqualTo(rs);
        clock.advance(Duration.ofHours(1));
        assertThat(keys.active(SigningAlgorithm.ES256).kid()).isNotEqualTo(es);
        assertThat(keys.active(SigningAlgorithm.RS256).kid()).isNotEqualTo(rs);
        // each old key retires after the longest token it signed, never the other algorithm's
        clock.advance(Duration.ofMinutes(31));
        keys.reload();
        assertThat(keys.isPublished(es)).isFalse();
        assertThat(keys.isPublished(rs)).isFalse();
        assertThat(JWKSet.parse(keys.jwksJson()).getKeys()).extracting(JWK::getAlgorithm)
                .containsExactlyInAnyOrder(JWSAlgorithm.ES256, JWSAlgorithm.RS256);
    }

    @Test
    void anAlgorithmWhoseLastKeyWasRetiredGetsAKeyThatSignsAtOnce() {
        String rs = keys.active(SigningAlgorithm.RS256).kid();
        String es = keys.active(SigningAlgorithm.ES256).kid();
        assertThat(store.retire(rs, clock.instant())).isTrue();
        assertThat(keys.rotateIfDue()).isTrue();
        assertThat(keys.active(SigningAlgorithm.RS256).kid()).isNotEqualTo(rs);
        assertThat(keys.isPublished(rs)).isFalse();
        assertThat(keys.active(SigningAlgorithm.ES256).kid()).isEqualTo(es);
        assertThat(store.all()).hasSize(3);
    }

    @Test
    void aUsersAccessTokenAndAClientsOneDifferInTheirClaimsAndVerifyAsSuch() throws Exception {
        TokenSubject s = new TokenSubject(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "app", "openid", null, List.of("admin"), 7,
                1, clock.instant().minusSeconds(90), "pwd", clock.instant().plusSeconds(3600));
        String u = tokens.issue(AccessTokenRequest.forUser(s, List.of(ISS), "app", "openid", false)).value();
        String c = tokens.issue(AccessTokenRequest.forClient("reporting", List.of("https://api.test"), "reports:read", false)).value();

        SignedJWT uj = SignedJWT.parse(u);
        assertThat(uj.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(uj.getJWTClaimsSet().getSubject()).isEqualTo(s.userId().toString());
        assertThat(uj.getJWTClaimsSet().getStringClaim("sid")).isEqualTo(s.sessionId().toString());
        assertThat(uj.getJWTClaimsSet().getClaim("sub_type")).isNull();
        assertThat(uj.getJWTClaimsSet().getStringListClaim("amr")).containsExactly("pwd");
        assertThat(uj.getJWTClaimsSet().getStringClaim("acr")).isEqualTo("urn:latchkey:acr:1fa");
        assertThat(uj.getJWTClaimsSet().getLongClaim("auth_time")).isEqualTo(clock.instant().minusSeconds(90).getEpochSecond());
        SignedJWT cj = SignedJWT.parse(c);
        assertThat(cj.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        JWTClaimsSet cc = cj.getJWTClaimsSet();
        assertThat(cc.getSubject()).isEqualTo("reporting").isEqualTo(cc.getStringClaim("client_id"));
        assertThat(cc.getStringClaim("sub_type")).isEqualTo("client");
        assertThat(cc.getClaims()).doesNotContainKeys("sid", "ver", "org", "roles", "amr", "acr", "auth_time");

        assertThat(verifier.verify(u).kind()).isEqualTo(TokenPrincipal.Kind.USER);
        assertThat(verifier.verify(c).kind()).isEqualTo(TokenPrincipal.Kind.CLIENT);
    }

    @Test
    void aMultiFactorSessionsTokensSayItInAcrAndAmrAsItsIdTokenDoes() throws Exception {
        TokenSubject s = new TokenSubject(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "app", "openid", null, List.of(), 1,
                0, clock.instant(), "pwd otp mfa", clock.instant().plusSeconds(3600));
        JWTClaimsSet at = SignedJWT.parse(tokens.issue(AccessTokenRequest.forUser(s, List.of(ISS), "app", "openid", false)).value())
                .getJWTClaimsSet();
        String id = new IdTokens(tokens, clock, ISS, Duration.ofMinutes(10))
                .issue(user(), "app", SigningAlgorithm.RS256, null, s.authTime(), s.amr(), s.sessionId().toString(), Set.of("openid"), null);
        JWTClaimsSet it = SignedJWT.parse(id).getJWTClaimsSet();
        for (JWTClaimsSet c : List.of(at, it)) {
            assertThat(c.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
            assertThat(c.getStringClaim("acr")).isEqualTo("urn:latchkey:acr:mfa");
            assertThat(c.getLongClaim("auth_time")).isEqualTo(clock.instant().getEpochSecond());
        }
    }

    @Test
    void anRs256TokenIsNeverAnAccessTokenEvenSignedWithOurKey() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISS).subject(UUID.randomUUID().toString()).claim("client_id", "app")
                .claim("sid", UUID.randomUUID().toString()).expirationTime(Date.from(clock.instant().plusSeconds(60))).build();
        String rs = tokens.sign(claims, AccessTokens.AT_JWT, SigningAlgorithm.RS256);
        String es = tokens.sign(claims, AccessTokens.AT_JWT, SigningAlgorithm.ES256);
        assertThat(verifier.tryVerify(rs)).isEmpty();
        assertThat(verifier.tryVerify(es)).isPresent();
    }

    @Test
    void idTokensAreSignedWithTheClientsAlgorithmAndBothAreReadAsHints() throws Exception {
        IdTokens idTokens = new IdTokens(tokens, clock, ISS, Duration.ofMinutes(10));
        IdTokenHints hints = new IdTokenHints(keys, ISS);
        JWKSet jwks = JWKSet.parse(keys.jwksJson());
        User u = user();
        for (SigningAlgorithm alg : SigningAlgorithm.values()) {
            String sid = UUID.randomUUID().toString();
            String id = idTokens.issue(u, "app", alg, "n-1", clock.instant(), "pwd", sid, Set.of("openid"), null);
            SignedJWT jwt = SignedJWT.parse(id);
            JWSHeader h = jwt.getHeader();
            assertThat(h.getAlgorithm()).isEqualTo(alg.jws());
            assertThat(h.getType()).isEqualTo(JOSEObjectType.JWT);
            JWK key = jwks.getKeyByKeyId(h.getKeyID());
            assertThat(key.getAlgorithm()).isEqualTo(alg.jws());
            boolean ok = alg == SigningAlgorithm.RS256 ? jwt.verify(new RSASSAVerifier((RSAKey) key))
                    : jwt.verify(new ECDSAVerifier((ECKey) key));
            assertThat(ok).as(alg.name()).isTrue();
            IdTokenHints.Hint hint = hints.read(id).orElseThrow();
            assertThat(hint.subject()).isEqualTo(u.id().toString());
            assertThat(hint.sessionId()).isEqualTo(sid);
            // an ID token is never an access token, whatever its algorithm
            assertThat(verifier.tryVerify(id)).isEmpty();
        }
    }
}
