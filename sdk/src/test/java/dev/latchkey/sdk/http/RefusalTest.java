package dev.latchkey.sdk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.sdk.token.RejectReason;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RefusalTest {
    @Test
    void anUnreachableIssuerIs503WithoutBlamingTheToken() {
        Refusal r = Refusal.of(new Authentication.Rejected(RejectReason.KEYS_UNAVAILABLE), "api").orElseThrow();

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.challenge()).isEmpty();
    }

    @Test
    void everyTokenRejectionIs401InvalidTokenWithItsFixedDescription() {
        for (RejectReason reason : RejectReason.values()) {
            if (reason.isTransient()) {
                continue;
            }
            Refusal r = Refusal.of(new Authentication.Rejected(reason), "api").orElseThrow();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.challenge()).contains("Bearer realm=\"api\", error=\"invalid_token\", error_description=\""
                    + reason.description() + "\"");
            // RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E
            assertThat(reason.description().chars()).allMatch(c -> c == 0x20 || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E));
        }
    }

    @Test
    void insufficientScopeListsTheRequiredScopesSorted() {
        Refusal r = Refusal.of(new Denial.InsufficientScope(Set.of("notes:write", "notes:read")), "api");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.challenge()).hasValueSatisfying(c -> assertThat(c).endsWith("scope=\"notes:read notes:write\""));
    }

    @Test
    void forbiddenDoesNotTellTheClientWhichRoleWasMissing() {
        Refusal r = Refusal.of(new Denial.Forbidden("missing role admin"), "api");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("admin");
    }

    @Test
    void realmsAndScopesThatWouldBreakTheQuotedChallengeAreRefused() {
        assertThatThrownBy(() -> Refusal.checkRealm("a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Refusal.checkRealm("a\\b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Guard.requireScope("notes read")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Guard.requireScope("a\"b")).isInstanceOf(IllegalArgumentException.class);
    }
}
