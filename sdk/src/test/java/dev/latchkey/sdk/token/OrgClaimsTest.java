package dev.latchkey.sdk.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link VerifiedToken#orgClaims()}: the organization's custom claims read with the typed getters, empty when none. */
class OrgClaimsTest {
    @Test
    void theOrganizationsClaimsAreReadWithTypedGetters() {
        JWTClaimsSet set = new JWTClaimsSet.Builder().subject("u1").claim("sid", "s1").claim("org", "o1")
                .claim("org_claims", Map.of("plan", "pro", "seats", 25L, "beta", true)).build();
        Claims org = TestTokens.of(set, Instant.now()).orgClaims();
        assertThat(org.names()).containsExactlyInAnyOrder("plan", "seats", "beta");
        assertThat(org.string("plan")).contains("pro");
        assertThat(org.number("seats")).hasValue(25);
        assertThat(org.bool("beta")).contains(true);
        assertThat(org.string("missing")).isEmpty();
        assertThatThrownBy(() -> org.string("seats")).isInstanceOf(IllegalStateException.class).hasMessageContaining("seats");
        assertThat(org.json()).contains("\"plan\":\"pro\"");
    }

    @Test
    void noOrgClaimsIsEmptyAndAWrongTypeIsNoticed() {
        Claims none = TestTokens.of(new JWTClaimsSet.Builder().subject("u1").claim("sid", "s1").build(), Instant.now()).orgClaims();
        assertThat(none.names()).isEmpty();
        assertThat(none.has("plan")).isFalse();
        VerifiedToken odd = TestTokens.of(new JWTClaimsSet.Builder().subject("u1").claim("sid", "s1").claim("org_claims", "pro").build(),
                Instant.now());
        assertThatThrownBy(odd::orgClaims).isInstanceOf(IllegalStateException.class).hasMessageContaining("org_claims");
    }
}
