package dev.latchkey.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderDefinitionTest {
    @Test
    void presetsFillInEndpointsScopesAndMappingAndTheOperatorOverrides() {
        IdentityProvider gh = ProviderDefinition.build("github", Map.of("preset", "github", "client_id", "Iv1.x", "client_secret", "s")::get);
        assertThat(gh.type()).isEqualTo(ProviderType.OAUTH2);
        assertThat(gh.endpoints().emails()).hasValueSatisfying(u -> assertThat(u).hasToString("https://api.github.com/user/emails"));
        assertThat(gh.claims().subject()).isEqualTo("id");
        assertThat(gh.scopes()).containsExactly("read:user", "user:email");
        assertThat(gh.policy()).isEqualTo(ProviderPolicy.DEFAULT);

        IdentityProvider ms = ProviderDefinition.build("entra", Map.of("preset", "microsoft", "tenant", "contoso.onmicrosoft.com",
                "client_id", "c", "scopes", "openid email", "trusted_emails", "true", "allowed_domains", "contoso.com, Example.TEST")::get);
        assertThat(ms.endpoints().issuer()).hasValueSatisfying(u -> assertThat(u)
                .hasToString("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"));
        assertThat(ms.scopes()).containsExactly("openid", "email");
        assertThat(ms.policy().trustedEmails()).isTrue();
        assertThat(ms.policy().allowedDomains()).containsExactly("contoso.com", "example.test");
        assertThat(ms.toString()).doesNotContain("secret ***");
    }

    @Test
    void everyProblemIsReportedAndNothingIsGuessed() {
        assertThatThrownBy(() -> ProviderDefinition.build("corp", Map.<String, String>of()::get)).hasMessageContaining("issuer");
        assertThatThrownBy(() -> ProviderDefinition.build("corp", Map.of("issuer", "http://sso.example.test", "client_id", "x")::get))
                .hasMessageContaining("https");
        assertThatThrownBy(() -> ProviderDefinition.build("corp", Map.of("issuer", "https://sso.example.test", "client_id", "x",
                "may_create_users", "perhaps", "allowed_domains", "not a domain")::get))
                .hasMessageContaining("may_create_users").hasMessageContaining("not a domain");
        assertThatThrownBy(() -> ProviderDefinition.build("Corp", Map.of("issuer", "https://sso.example.test", "client_id", "x")::get))
                .hasMessageContaining("provider name");
        assertThatThrownBy(() -> ProviderDefinition.build("corp", Map.of("preset", "facebook", "client_id", "x")::get))
                .hasMessageContaining("preset");
    }

    @Test
    void theDomainRestrictionAdmitsOnlyVerifiedAddressesOfItsDomains() {
        ProviderPolicy p = new ProviderPolicy(true, false, List.of("example.test"), false, false);
        assertThat(p.domainAllowed("a@example.test", true)).isTrue();
        assertThat(p.domainAllowed("a@EXAMPLE.test", true)).isTrue();
        assertThat(p.domainAllowed("a@example.test", false)).isFalse();
        assertThat(p.domainAllowed("a@sub.example.test", true)).isFalse();
        assertThat(p.domainAllowed("a@example.test.evil", true)).isFalse();
        assertThat(p.domainAllowed(null, true)).isFalse();
        assertThat(ProviderPolicy.DEFAULT.domainAllowed(null, false)).isTrue();
    }

    @Test
    void gitHubStyleEMailsYieldOnlyAVerifiedPrimaryAddress() throws Exception {
        assertThat(OAuth2Upstream.primaryVerified("""
                [{"email":"b@x.test","primary":false,"verified":true},{"email":"a@x.test","primary":true,"verified":true}]""")).isEqualTo("a@x.test");
        assertThat(OAuth2Upstream.primaryVerified("""
                [{"email":"b@x.test","primary":false,"verified":true},{"email":"a@x.test","primary":true,"verified":false}]""")).isNull();
        assertThat(OAuth2Upstream.primaryVerified("[]")).isNull();
        assertThatThrownBy(() -> OAuth2Upstream.primaryVerified("{\"message\":\"Bad credentials\"}")).isInstanceOf(UpstreamFailure.class);
    }

    @Test
    void theAppleClientSecretIsAnEs256JwtOfTheTeamForTheClient() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        String jwt = AppleClientSecret.sign(new AppleClientSecret.Signer("TEAM123456", "KEY1234567"), "com.example.web", pem, now);
        SignedJWT s = SignedJWT.parse(jwt);
        assertThat(s.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(s.getHeader().getKeyID()).isEqualTo("KEY1234567");
        assertThat(s.verify(new ECDSAVerifier((ECPublicKey) kp.getPublic()))).isTrue();
        assertThat(s.getJWTClaimsSet().getIssuer()).isEqualTo("TEAM123456");
        assertThat(s.getJWTClaimsSet().getSubject()).isEqualTo("com.example.web");
        assertThat(s.getJWTClaimsSet().getAudience()).containsExactly("https://appleid.apple.com");
        assertThat(s.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(now.plus(AppleClientSecret.VALIDITY));
        assertThatThrownBy(() -> AppleClientSecret.sign(new AppleClientSecret.Signer("TEAM123456", "KEY1234567"), "c", "junk", now))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
