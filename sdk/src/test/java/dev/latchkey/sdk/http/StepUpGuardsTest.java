package dev.latchkey.sdk.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.sdk.token.TestTokens;
import dev.latchkey.sdk.token.VerifiedToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** requireAcr and requireRecentAuth: RFC 9470 step-up challenges from the token's acr, amr and auth_time. */
class StepUpGuardsTest {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String MFA = "urn:latchkey:acr:mfa";

    private static VerifiedToken user(String acr, List<String> amr, Instant authTime) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject("0190a1b2-0000-7000-8000-000000000001").claim("sid", "s1");
        if (acr != null) {
            b.claim("acr", acr);
        }
        if (amr != null) {
            b.claim("amr", amr);
        }
        if (authTime != null) {
            b.claim("auth_time", authTime.getEpochSecond());
        }
        return TestTokens.of(b.issueTime(Date.from(NOW)).build(), NOW);
    }

    private static VerifiedToken client() {
        return TestTokens.of(new JWTClaimsSet.Builder().subject("batch").claim("sub_type", "client").build(), NOW);
    }

    @Test
    void theTokenExposesAcrAmrAndAuthTime() {
        VerifiedToken t = user(MFA, List.of("pwd", "otp", "mfa"), NOW.minusSeconds(60));
        assertThat(t.acr()).contains(MFA);
        assertThat(t.amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(t.authTime()).contains(NOW.minusSeconds(60));
    }

    @Test
    void requireAcrPassesAnMfaSignInAndChallengesAOneFactorOne() {
        Guard<Object> g = Guard.requireAcr(MFA);
        assertThat(g.check(user(MFA, List.of("pwd", "otp", "mfa"), NOW), null)).isEmpty();
        Optional<Denial> d = g.check(user("urn:latchkey:acr:1fa", List.of("pwd"), NOW), null);
        assertThat(d).containsInstanceOf(Denial.InsufficientAuthentication.class);
        Refusal r = Refusal.of(d.orElseThrow(), "api");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.challenge()).hasValue("Bearer realm=\"api\", error=\"insufficient_user_authentication\", "
                + "error_description=\"A stronger authentication is required\", acr_values=\"" + MFA + "\"");
        assertThat(g.check(user(null, null, null), null)).isPresent();
        assertThat(g.check(client(), null)).containsInstanceOf(Denial.Forbidden.class);
    }

    @Test
    void requireRecentAuthChallengesWithMaxAgeOnceAuthTimeIsTooOld() {
        Guard<Object> g = Guard.requireRecentAuth(Duration.ofMinutes(5), CLOCK);
        assertThat(g.check(user(MFA, List.of("pwd"), NOW.minus(Duration.ofMinutes(5))), null)).isEmpty();
        Optional<Denial> old = g.check(user(MFA, List.of("pwd"), NOW.minus(Duration.ofMinutes(5)).minusSeconds(1)), null);
        assertThat(Refusal.of(old.orElseThrow(), "api").challenge()).hasValueSatisfying(c -> assertThat(c)
                .contains("error=\"insufficient_user_authentication\"").endsWith("max_age=\"300\""));
        assertThat(g.check(user(MFA, List.of("pwd"), null), null)).as("no auth_time: not recent").isPresent();
        assertThat(g.check(client(), null)).containsInstanceOf(Denial.Forbidden.class);
    }
}
