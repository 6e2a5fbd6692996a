package dev.latchkey.core.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.password.PasswordViolation.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    private final PasswordPolicy policy = PasswordPolicy.DEFAULT;

    private List<Reason> reasons(String password, String email) {
        return policy.check(password, email).stream().map(PasswordViolation::reason).toList();
    }

    @Test
    void defaultsAreEightTo256() {
        assertThat(policy).isEqualTo(new PasswordPolicy(8, 256));
    }

    @Test
    void configurationBelowTheStandardsIsRefused() {
        assertThatThrownBy(() -> new PasswordPolicy(7, 256)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 8");
        assertThatThrownBy(() -> new PasswordPolicy(8, 63)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 64");
        assertThatThrownBy(() -> new PasswordPolicy(100, 64)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PasswordPolicy(15, 64).minLength()).isEqualTo(15);
    }

    @Test
    void aLongUncommonPasswordPasses() {
        assertThat(policy.check("violet staircase under rain", "ana@example.com")).isEmpty();
        assertThat(policy.check("no composition rules at all", null)).isEmpty();
    }

    @Test
    void lengthIsCountedInCodePointsAfterNfkc() {
        assertThat(reasons("🔑🔑🔑🔑🔑🔑🔑", null)).as("7 emoji, 14 UTF-16 units").containsExactly(Reason.TOO_SHORT);
        assertThat(reasons("🔑🔑🔑🔑🔑🔑🔑🔑", null)).as("8 emoji").isEmpty();
        assertThat(reasons("ﬀﬀﬀﬀ", null)).as("4 ligatures become 8 letters").isEmpty();
        assertThat(reasons("e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301", null)).as("7 é composed from 14 code points")
                .containsExactly(Reason.TOO_SHORT);
    }

    @Test
    void boundsAreInclusive() {
        assertThat(reasons("q7#vXz!m", null)).isEmpty();
        assertThat(reasons("q7#vXz!", null)).containsExactly(Reason.TOO_SHORT);
        assertThat(reasons("x".repeat(256), null)).isEmpty();
        assertThat(reasons("x".repeat(257), null)).containsExactly(Reason.TOO_LONG);
    }

    @Test
    void commonPasswordsAreRejectedWhateverTheirCase() {
        assertThat(reasons("password", null)).containsExactly(Reason.COMMON);
        assertThat(reasons("PassWord", null)).containsExactly(Reason.COMMON);
        assertThat(reasons("QWERTYUIOP", null)).containsExactly(Reason.COMMON);
        assertThat(reasons("iloveyou", null)).containsExactly(Reason.COMMON);
        assertThat(reasons("password-but-longer", null)).isEmpty();
    }

    @Test
    void theEmailAddressAndItsLocalPartAreRejected() {
        assertThat(reasons("Ana.Lima@Example.com", "ana.lima@example.com")).containsExactly(Reason.MATCHES_IDENTIFIER);
        assertThat(reasons("ana.lima", "Ana.Lima@example.com")).containsExactly(Reason.MATCHES_IDENTIFIER);
        assertThat(reasons("ana.lima.2024!", "ana.lima@example.com")).isEmpty();
        assertThat(reasons("ana.lima", null)).isEmpty();
    }

    @Test
    void everyViolationIsReportedAtOnceWithAMessage() {
        List<PasswordViolation> violations = policy.check("123456", "123456@example.com");
        assertThat(violations).extracting(PasswordViolation::reason)
                .containsExactly(Reason.TOO_SHORT, Reason.COMMON, Reason.MATCHES_IDENTIFIER);
        assertThat(violations.get(0).message()).isEqualTo("Use at least 8 characters.");
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).isNotBlank());
        assertThat(new PasswordPolicy(12, 64).check("x".repeat(65), null)).singleElement()
                .extracting(PasswordViolation::message).isEqualTo("Use at most 64 characters.");
    }

    @Test
    void theShippedListIsLargeLowercaseAndWithoutDuplicates() throws Exception {
        assertThat(CommonPasswords.size()).isGreaterThanOrEqualTo(10_000);
        List<String> lines;
        try (var in = CommonPasswords.class.getResourceAsStream(CommonPasswords.RESOURCE)) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(lines).hasSize(CommonPasswords.size()).doesNotHaveDuplicates()
                .allSatisfy(l -> assertThat(l).isEqualTo(l.toLowerCase(java.util.Locale.ROOT)).isNotBlank());
    }
}
