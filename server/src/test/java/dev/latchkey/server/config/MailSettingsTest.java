package dev.latchkey.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.account.VerificationPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MailSettingsTest {
    static Map<String, String> prod(Map<String, String> extra) {
        Map<String, String> e = new HashMap<>(Map.of("LATCHKEY_DATABASE_URL", "postgresql://u:p@db:5432/x",
                "LATCHKEY_MASTER_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "LATCHKEY_PUBLIC_URL", "https://auth.example.com"));
        e.putAll(extra);
        return e;
    }

    static LatchkeyConfig load(Map<String, String> env) {
        return ConfigLoader.load(LatchkeyConfig.Mode.PRODUCTION, prod(env), Optional.empty(), Map.of());
    }

    @Test
    void withoutSmtpThereIsNoMailAndTheDefaultsHold() {
        LatchkeyConfig c = load(Map.of());
        assertThat(c.mail().smtp()).isEmpty();
        assertThat(c.mail().flows().verification()).isEqualTo(VerificationPolicy.OPTIONAL);
        assertThat(c.mail().flows().signInTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.mail().flows().verificationTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(c.mail().productName()).isEqualTo("Latchkey");
    }

    @Test
    void invitationsLiveSevenDaysByDefaultAndBetweenAnHourAndThirtyDays() {
        assertThat(load(Map.of()).mail().invitationTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(load(Map.of("LATCHKEY_EMAIL_INVITATION_TTL", "48h")).mail().invitationTtl()).isEqualTo(Duration.ofHours(48));
        assertThatThrownBy(() -> load(Map.of("LATCHKEY_EMAIL_INVITATION_TTL", "31d")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LATCHKEY_EMAIL_INVITATION_TTL: must be between 1 hour and 30 days");
        assertThatThrownBy(() -> load(Map.of("LATCHKEY_EMAIL_INVITATION_TTL", "59m")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LATCHKEY_EMAIL_INVITATION_TTL");
    }

    @Test
    void aCompleteSmtpConfigurationIsRead() {
        LatchkeyConfig c = load(Map.of("LATCHKEY_SMTP_HOST", "smtp.example.com", "LATCHKEY_SMTP_PORT", "465", "LATCHKEY_SMTP_TLS", "tls",
                "LATCHKEY_SMTP_USER", "mailer", "LATCHKEY_SMTP_PASSWORD", "s3cret", "LATCHKEY_SMTP_FROM", "login@example.com",
                "LATCHKEY_SMTP_PRODUCT_NAME", "Acme"));
        LatchkeyConfig.Smtp s = c.mail().smtp().orElseThrow();
        assertThat(s.port()).isEqualTo(465);
        assertThat(s.tls()).isEqualTo(LatchkeyConfig.SmtpTls.TLS);
        assertThat(s.user()).contains("mailer");
        assertThat(s.toString()).doesNotContain("s3cret");
        assertThat(c.mail().productName()).isEqualTo("Acme");
    }

    @Test
    void everyMailProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> load(Map.of("LATCHKEY_SMTP_HOST", "smtp://example.com", "LATCHKEY_SMTP_TLS", "maybe",
                "LATCHKEY_SMTP_USER", "only-user", "LATCHKEY_SMTP_PORT", "70000", "LATCHKEY_EMAIL_SIGNIN_TTL", "1h",
                "LATCHKEY_EMAIL_VERIFICATION", "sometimes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LATCHKEY_SMTP_HOST").hasMessageContaining("LATCHKEY_SMTP_TLS")
                .hasMessageContaining("LATCHKEY_SMTP_USER/LATCHKEY_SMTP_PASSWORD").hasMessageContaining("LATCHKEY_SMTP_PORT")
                .hasMessageContaining("LATCHKEY_SMTP_FROM").hasMessageContaining("LATCHKEY_EMAIL_VERIFICATION");
        assertThatThrownBy(() -> load(Map.of("LATCHKEY_EMAIL_SIGNIN_TTL", "1h")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("15 minutes");
    }

    @Test
    void requiredVerificationNeedsMailInProductionButNotInDev() {
        assertThatThrownBy(() -> load(Map.of("LATCHKEY_EMAIL_VERIFICATION", "required")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("required needs mail");
        LatchkeyConfig dev = ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_EMAIL_VERIFICATION", "required"), Optional.empty(), Map.of());
        assertThat(dev.mail().flows().verification()).isEqualTo(VerificationPolicy.REQUIRED);
    }
}
